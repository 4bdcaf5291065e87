package io.amifactory.cli;

import io.amifactory.engine.build.BuildResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} form of build results: {@code {"builds":[{name, status, sourceImage, images, buildInstance,
 * error, ...}]}}. The keys the issue promises always appear (null when empty); the others are extra detail.
 */
final class BuildJson {
    private BuildJson() {
    }

    static Map<String, Object> of(List<BuildResult> results, Map<String, Path> stateFiles) {
        List<Map<String, Object>> builds = new ArrayList<>();
        for (BuildResult r : results) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", r.name());
            b.put("status", r.status().label());
            b.put("sourceImage", r.sourceImage());
            b.put("images", r.images());
            b.put("buildInstance", r.buildInstance());
            b.put("error", r.error());
            b.put("buildId", r.buildId());
            b.put("imageName", r.imageName());
            b.put("failedPhase", r.failedPhase());
            b.put("warnings", r.warnings());
            b.put("leftovers", r.leftovers());
            Path state = r.buildId() == null ? null : stateFiles.get(r.buildId());
            b.put("stateFile", state == null ? null : state.toString());
            builds.add(b);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("builds", builds);
        return root;
    }
}
