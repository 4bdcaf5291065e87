package io.jenkins.plugins.amifactory.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.EnvironmentContributingAction;
import hudson.model.InvisibleAction;
import hudson.model.Run;
import io.amifactory.engine.build.BuildResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The AMIs a freestyle build step made, for the steps after it: AMI_ID (the build region's AMI), AMI_IDS
 * ({@code region=ami,...}, the form the share builder takes), AMI_NAME, AMI_REGION, AMI_BUILD_ID and
 * AMI_SOURCE_ID. Added after the trigger's action, so AMI_ID now means the new AMI; the upstream one it was
 * built from is AMI_SOURCE_ID.
 */
public final class AmiBuildEnvironmentAction extends InvisibleAction implements EnvironmentContributingAction {
    private final String imageId;
    private final String imageIds;
    private final String imageName;
    private final String region;
    private final String buildId;
    private final String sourceImage;

    AmiBuildEnvironmentAction(BuildResult result, String region) {
        List<String> pairs = new ArrayList<>();
        result.images().forEach((r, id) -> pairs.add(r + "=" + id));
        this.imageId = result.images().get(region);
        this.imageIds = String.join(",", pairs);
        this.imageName = result.imageName();
        this.region = region;
        this.buildId = result.buildId();
        this.sourceImage = result.sourceImage();
    }

    public String getImageId() {
        return imageId;
    }

    public String getImageIds() {
        return imageIds;
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        // EnvVars refuses null values
        env.put("AMI_ID", nonNull(imageId));
        env.put("AMI_IDS", nonNull(imageIds));
        env.put("AMI_NAME", nonNull(imageName));
        env.put("AMI_REGION", nonNull(region));
        env.put("AMI_BUILD_ID", nonNull(buildId));
        env.put("AMI_SOURCE_ID", nonNull(sourceImage));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
