package io.amifactory.engine.build;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsErrors;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * Creates the AMI from the build instance, tagged (build id, provenance) as it is created. On a failed build,
 * its cleanup deregisters the image and deletes its snapshots.
 */
final class CreateImagePhase implements Phase {
    @Override
    public String name() {
        return "create-image";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        BuildRecord.RegionImage image = r.image(r.region);
        if (image.imageId != null) {
            return PhaseResult.done();
        }
        List<Image> earlier = ctx.ec2().describeImages(b -> b.owners("self").filters(BuildTags.byBuild(r.buildId))
                .includeDeprecated(true)).images();
        if (!earlier.isEmpty()) {
            image.imageId = earlier.get(0).imageId();
            ctx.info("found " + image.imageId + ", created by an earlier attempt of this build");
            return PhaseResult.done();
        }
        try {
            image.imageId = ctx.ec2().createImage(b -> b.instanceId(r.instanceId).name(r.imageName)
                    .description(r.imageDescription).noReboot(ctx.spec().image().noReboot())
                    .tagSpecifications(BuildTags.spec(ResourceType.IMAGE, BuildTags.image(ctx, r.region)))
                    .overrideConfiguration(SingleAttempt.OVERRIDE)).imageId();
        } catch (Ec2Exception e) {
            if (!AwsErrors.hasCode(e, "InvalidAMIName.Duplicate")) {
                throw e;
            }
            return duplicateName(ctx, image, e);
        }
        ctx.save();
        ctx.info("creating " + image.imageId + " ('" + r.imageName + "') from " + r.instanceId);
        return PhaseResult.done();
    }

    /**
     * The name is taken. By this build's own image when an earlier attempt was carried out but its reply was
     * lost (CreateImage has no client token, and the search by tag above may not see an image that new yet):
     * then the image is ours and the phase is done. By anybody else's: the build fails, nothing was made.
     */
    private static PhaseResult duplicateName(BuildContext ctx, BuildRecord.RegionImage image, Ec2Exception e) {
        BuildRecord r = ctx.record();
        List<Image> named = ctx.ec2().describeImages(b -> b.owners("self")
                .filters(f -> f.name("name").values(r.imageName)).includeDeprecated(true)).images();
        for (Image i : named) {
            if (i.tags().stream().anyMatch(t -> Tags.BUILD_ID.equals(t.key()) && r.buildId.equals(t.value()))) {
                image.imageId = i.imageId();
                ctx.save();
                ctx.info("found " + image.imageId + " ('" + r.imageName + "'), created by an earlier attempt whose reply was lost");
                return PhaseResult.done();
            }
        }
        if (named.isEmpty() && ctx.now().isBefore(r.instant(r.phaseStartedAt).plus(WaitImagePhase.VISIBILITY_GRACE))) {
            return ctx.poll(); // taken, but not listed yet: look again before deciding whose it is
        }
        return PhaseResult.fail("imageName: an AMI named '" + r.imageName + "' appeared in " + r.region
                + " while the build ran; " + AwsErrors.describe(e));
    }

    @Override
    public PhaseResult cleanup(BuildContext ctx) {
        return ctx.failed() ? ImageRemoval.remove(ctx, ctx.record().region) : PhaseResult.done();
    }

    @Override
    public List<String> leftovers(BuildContext ctx) {
        return ImageRemoval.describe(ctx, ctx.record().region);
    }
}
