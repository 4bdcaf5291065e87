package io.jenkins.plugins.amifactory.runners;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.SingleBuildReader;
import io.amifactory.engine.input.InputNode;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The spec of one build as the engine reads it: the text of a workspace file, or a map (a Pipeline's
 * arguments or spec). It is kept with the step's execution, so that after a restart the very same spec is
 * read again, and it never points at a file: the engine reads nothing from the controller's disk.
 */
@Restricted(NoExternalUse.class)
public final class AmiBuildDocument implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String USER_DATA_HINT = "put the script in userData (in a Pipeline: readFile it, or give amiBuild's "
            + "userDataFile parameter, which reads the workspace)";

    private final String source;
    private final String text;
    private final LinkedHashMap<String, Object> map;
    private final boolean payload;
    private final String name;
    private final String defaultRegion;
    private final boolean dryRun;

    private AmiBuildDocument(String source, String text, LinkedHashMap<String, Object> map, boolean payload, String name,
                             String defaultRegion, boolean dryRun) {
        this.source = source;
        this.text = text;
        this.map = map;
        this.payload = payload;
        this.name = name;
        this.defaultRegion = defaultRegion;
        this.dryRun = dryRun;
    }

    /**
     * @param source        what errors name: a file path, or a label such as "amiBuild"
     * @param payload       the document must be seed 001's payload
     * @param name          the build to pick when the document holds several; may be null
     * @param defaultRegion the region of builds that name none; may be null
     */
    @SuppressWarnings("unchecked")
    static AmiBuildDocument ofMap(String source, Map<String, ?> map, boolean payload, String name, String defaultRegion,
                                  boolean dryRun) {
        return new AmiBuildDocument(source, null, (LinkedHashMap<String, Object>) PlainValues.copy(map), payload, name,
                defaultRegion, dryRun);
    }

    public static AmiBuildDocument ofText(String source, String text, boolean payload, String name, String defaultRegion,
                                   boolean dryRun) {
        return new AmiBuildDocument(source, text, null, payload, name, defaultRegion, dryRun);
    }

    /** @throws io.amifactory.engine.input.InputException naming the field (and line, for text) */
    public BuildSpec read() {
        SingleBuildReader reader = new SingleBuildReader(defaultRegion, USER_DATA_HINT);
        InputNode doc = text != null ? InputNode.parse(source, text) : InputNode.ofValue(source, map);
        BuildSpec spec = payload ? reader.readPayload(doc, name) : reader.read(doc, name);
        return dryRun ? spec.withDryRun(true) : spec;
    }
}
