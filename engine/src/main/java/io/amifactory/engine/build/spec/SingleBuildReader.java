package io.amifactory.engine.build.spec;

import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads exactly one build, for a host that drives builds on behalf of others and has no file system of its
 * own to offer them (the Jenkins plugin: a spec comes from a Pipeline's arguments or from a workspace that may
 * be on another machine, and the controller's files are not the user's to read).
 *
 * <p>Two rules on top of {@link BuildSpecReader}: a {@code userDataFile} anywhere a build setting can be is
 * refused, so that no spec can make the host read one of its own files into user data; and a document with
 * several builds is narrowed to the one named, since the host runs one build per call.
 */
public final class SingleBuildReader {
    private final BuildSpecReader reader;
    private final String userDataHint;

    /**
     * @param defaultRegion the region of a build that names none; may be null
     * @param userDataHint  how the host's users pass a script file instead, appended to the refusal
     */
    public SingleBuildReader(String defaultRegion, String userDataHint) {
        this.reader = new BuildSpecReader(defaultRegion);
        this.userDataHint = userDataHint == null || userDataHint.isBlank() ? "give the script as userData" : userDataHint;
    }

    /**
     * One build out of a spec document (a single build, {@code builds:} or seed 001's {@code amis:}).
     *
     * @param name the build to pick; may be null when the document holds one build
     * @throws InputException naming source, line and field, before anything else happens
     */
    public BuildSpec read(InputNode doc, String name) {
        for (InputNode build : buildSettings(doc)) {
            InputNode file = build.get("userDataFile");
            if (file != null) {
                throw file.error("files of the machine the build is driven from cannot be read here; " + userDataHint);
            }
        }
        return pick(doc, reader.read(doc, null), name);
    }

    /** As {@link #read}, for a document that must be seed 001's payload ({@code {"amis": [...]}}). */
    public BuildSpec readPayload(InputNode doc, String name) {
        if (!doc.isMap() || !doc.has("amis")) {
            throw doc.error("is not seed 001's payload: expected {\"amis\": [{imageName, sourceImage, bootstrapUrl, "
                    + "accounts, automationDocument}]}");
        }
        return read(doc, name);
    }

    /** Every mapping whose keys are build settings: the document itself, its defaults, each listed build. */
    private static List<InputNode> buildSettings(InputNode doc) {
        List<InputNode> out = new ArrayList<>();
        if (!doc.isMap()) {
            return out; // the reader says what is wrong with it
        }
        out.add(doc);
        for (String key : List.of("defaults", "builds", "amis")) {
            InputNode n = doc.get(key);
            if (n == null) {
                continue;
            }
            if (n.isMap()) {
                out.add(n);
            } else if (n.isList()) {
                n.asList().stream().filter(InputNode::isMap).forEach(out::add);
            }
        }
        return out;
    }

    private static BuildSpec pick(InputNode doc, List<BuildSpec> specs, String name) {
        List<String> names = specs.stream().map(BuildSpec::name).toList();
        if (name == null || name.isBlank()) {
            if (specs.size() == 1) {
                return specs.get(0);
            }
            throw new InputException(doc.source(), 0, "name", "the spec holds " + specs.size() + " builds ("
                    + String.join(", ", names) + "); name the one to build (one build per call; run several side by side)");
        }
        String wanted = name.trim();
        return specs.stream().filter(s -> s.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new InputException(doc.source(), 0, "name", "the spec has no build named '" + wanted
                        + "' (it has " + String.join(", ", names) + ")"));
    }
}
