package io.jenkins.plugins.amifactory.runners;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.steps.AmiBuildStep;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * What an {@code amiBuild} call asked for, checked for consistency and copied into plain values when the step
 * starts (on the Pipeline's thread: no I/O). Workspace files are read later, off that thread, by
 * {@link #load}; what is read is kept as an {@link AmiBuildDocument}.
 */
@Restricted(NoExternalUse.class)
public final class AmiBuildRequest implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String SOURCE = "amiBuild";
    /** Workspace files larger than this are refused before they are read: user data is at most 16 KiB. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final Set<String> NEXT_TO_A_SPEC = Set.of("name", "dryRun");

    private final LinkedHashMap<String, Object> options;
    private final Object document;
    private final boolean payload;
    private final String userDataFile;
    private final String name;
    private final String defaultRegion;
    private final boolean dryRun;

    private AmiBuildRequest(LinkedHashMap<String, Object> options, Object document, boolean payload, String userDataFile,
                            String name, String defaultRegion, boolean dryRun) {
        this.options = options;
        this.document = document;
        this.payload = payload;
        this.userDataFile = userDataFile;
        this.name = name;
        this.defaultRegion = defaultRegion;
        this.dryRun = dryRun;
    }

    /** @throws InputException naming the step parameter that does not fit */
    public static AmiBuildRequest of(AmiBuildStep step) {
        List<String> defaults = AmiFactoryConfiguration.get().getDefaultRegionList();
        String globalRegion = defaults.isEmpty() ? null : defaults.get(0);
        LinkedHashMap<String, Object> options = step.buildOptions();
        boolean hasSpec = step.getSpec() != null;
        boolean hasPayload = step.getPayload() != null;
        if (hasSpec && hasPayload) {
            throw new InputException(SOURCE, 0, "payload", "give spec or payload, not both");
        }
        if (step.getUserDataFile() != null && options.containsKey("userData")) {
            throw new InputException(SOURCE, 0, "userDataFile", "give userData or userDataFile, not both");
        }
        if (!hasSpec && !hasPayload) {
            if (step.getRegion() != null) {
                options.put("region", step.getRegion());
            }
            return new AmiBuildRequest(options, null, false, step.getUserDataFile(), null, globalRegion, false);
        }
        String what = hasSpec ? "spec" : "payload";
        for (String key : options.keySet()) {
            if (!NEXT_TO_A_SPEC.contains(key)) {
                throw new InputException(SOURCE, 0, key, "belongs in the " + what + "; next to " + what
                        + " only name (which build), region (for builds that name none), dryRun and the AWS "
                        + "parameters are taken");
            }
        }
        if (step.getUserDataFile() != null) {
            throw new InputException(SOURCE, 0, "userDataFile", "belongs in the " + what + " (as userData)");
        }
        Object document = PlainValues.copy(hasSpec ? step.getSpec() : step.getPayload());
        if (!(document instanceof String) && !(document instanceof Map)) {
            throw new InputException(SOURCE, 0, what, "must be a Map or the path of a file in the workspace");
        }
        String region = step.getRegion() != null ? step.getRegion() : globalRegion;
        return new AmiBuildRequest(null, document, hasPayload, null, step.getName(), region, step.isDryRun());
    }

    /** True when a workspace file has to be read, which needs a {@code node}. */
    public boolean needsWorkspace() {
        return document instanceof String || userDataFile != null;
    }

    /** Reads the workspace files, if any. Never on the Pipeline's thread: the workspace may be on an agent. */
    @SuppressWarnings("unchecked")
    public AmiBuildDocument load(@CheckForNull FilePath workspace) throws IOException, InterruptedException {
        String what = payload ? "payload" : "spec";
        if (document instanceof String path) {
            return AmiBuildDocument.ofText(path, read(workspace, what, path), payload, name, defaultRegion, dryRun);
        }
        if (document != null) {
            return AmiBuildDocument.ofMap(SOURCE + " " + what, (Map<String, ?>) document, payload, name, defaultRegion,
                    dryRun);
        }
        LinkedHashMap<String, Object> build = new LinkedHashMap<>(options);
        if (userDataFile != null) {
            build.put("userData", read(workspace, "userDataFile", userDataFile));
        }
        return AmiBuildDocument.ofMap(SOURCE, build, false, null, defaultRegion, false);
    }

    /** A workspace file's text, read on the controller (the workspace may be on an agent). */
    public static String read(@CheckForNull FilePath workspace, String parameter, String path)
            throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException(parameter + ": '" + path + "' is a workspace file, and there is no workspace here: "
                    + "call the step inside node { }, or pass the text itself");
        }
        FilePath file = workspace.child(path);
        if (!file.exists() || file.isDirectory()) {
            throw new AbortException(parameter + ": '" + path + "' is not a file in the workspace " + workspace.getRemote());
        }
        if (file.length() > MAX_FILE_BYTES) {
            throw new AbortException(parameter + ": '" + path + "' is larger than 1 MiB; that cannot be a build spec or "
                    + "a user data script");
        }
        return file.readToString();
    }
}
