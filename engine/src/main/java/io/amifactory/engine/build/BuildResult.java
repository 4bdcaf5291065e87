package io.amifactory.engine.build;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a build ended, as reported to people and to {@code --json}.
 *
 * @param images        region → AMI id (build region first); empty when the build failed
 * @param buildInstance the instance the build launched (terminated by now), null when none
 * @param leftovers     what could not be cleaned up, with ids; empty when everything was tidied
 */
public record BuildResult(String name, String buildId, BuildStatus status, String sourceImage, String imageName,
        Map<String, String> images, String buildInstance, String error, String failedPhase, List<String> warnings,
        List<String> leftovers) {

    public BuildResult {
        images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(images));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
    }

    /** The result a record stands for (final once the record is finished). */
    public static BuildResult of(BuildRecord r) {
        Map<String, String> images = r.outcome == BuildStatus.SUCCEEDED ? r.imageIds() : Map.of();
        return new BuildResult(r.name, r.buildId, r.outcome, r.source == null ? null : r.source.imageId(),
                r.imageName, images, r.instanceId, r.error, r.failedPhase, r.warnings, r.leftovers);
    }

    /** A result for a build that could not even start (invalid input found late). */
    public static BuildResult notStarted(String name, String error) {
        return new BuildResult(name, null, BuildStatus.FAILED, null, null, Map.of(), null, error, null, List.of(), List.of());
    }

    public boolean succeeded() {
        return status == BuildStatus.SUCCEEDED || status == BuildStatus.DRY_RUN;
    }
}
