package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import java.util.List;

/**
 * Grants the launch permissions a build spec asks for on one region's image. {@link LaunchPermissionSharer}
 * does it directly; the share engine can stand in for it.
 */
@FunctionalInterface
public interface ImageSharer {
    void share(String region, String imageId, List<String> snapshotIds, BuildSpec.Sharing sharing);
}
