package io.jenkins.plugins.amifactory.runners;

import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;

/**
 * Archives a text as a build artifact through the build's artifact manager (so that an external artifact
 * store gets it too), from a scratch folder on the controller: the caller needs no workspace.
 */
final class PlanArtifact {
    private PlanArtifact() {
    }

    static void archive(Run<?, ?> run, TaskListener listener, String fileName, String text)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ami-factory-artifact");
        FilePath scratch = new FilePath(dir.toFile());
        try {
            Files.writeString(dir.resolve(fileName), text, StandardCharsets.UTF_8);
            run.pickArtifactManager().archive(scratch, new Launcher.LocalLauncher(listener),
                    new BuildListenerAdapter(listener), Map.of(fileName, fileName));
        } finally {
            scratch.deleteRecursive();
        }
    }
}
