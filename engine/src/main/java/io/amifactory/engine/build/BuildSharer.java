package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.progress.ProgressListener;
import java.util.List;

/**
 * Grants the launch permissions a build spec asks for on one region's image. {@link ShareEngineSharer}
 * hands it to the share engine; tests may stand in for it.
 */
@FunctionalInterface
public interface BuildSharer {
    /** Warnings (for example about a customer-managed key's policy) go to {@code progress}. */
    void share(String region, String imageId, List<String> snapshotIds, BuildSpec.Sharing sharing,
            ProgressListener progress);
}
