package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.CopyImageRequest;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * Copies the image to the other regions (all copies run at once), encrypted with each region's key when
 * asked, tagged on creation and again once available (copies do not inherit tags). On a failed build, its
 * cleanup deregisters the copies, which also stops copies still in progress, and deletes their snapshots.
 */
final class CopyImagesPhase implements Phase {
    @Override
    public String name() {
        return "copy";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        BuildSpec spec = ctx.spec();
        String sourceImage = r.image(r.region).imageId;
        if (spec.copies().stream().anyMatch(c -> !r.images.containsKey(c.region()))) {
            // Every copy region is in the record before the first copy starts: a cleanup after a crash
            // looks for copies in all of them.
            spec.copies().forEach(c -> r.image(c.region()));
            ctx.save();
        }
        for (BuildSpec.Copy copy : spec.copies()) {
            BuildRecord.RegionImage image = r.image(copy.region());
            if (image.imageId != null) {
                continue;
            }
            // started by an earlier attempt whose reply was lost; EC2 answers a repeated call with the same
            // copy (client token), an EC2 that does not would start a second one
            List<Image> earlier = ImageRemoval.madeByBuild(ctx, copy.region());
            if (!earlier.isEmpty()) {
                image.imageId = earlier.get(0).imageId();
                ctx.save();
                ctx.info("found copy " + image.imageId + " in " + copy.region() + ", started by an earlier attempt");
                continue;
            }
            CopyImageRequest.Builder req = CopyImageRequest.builder()
                    .sourceRegion(r.region)
                    .sourceImageId(sourceImage)
                    .name(r.imageName)
                    .description(r.imageDescription)
                    .clientToken("amifactory-" + CustomisationScript.shortHash(r.buildId + "/" + copy.region()))
                    .tagSpecifications(BuildTags.spec(ResourceType.IMAGE, BuildTags.image(ctx, copy.region())),
                            BuildTags.spec(ResourceType.SNAPSHOT, BuildTags.snapshot(ctx, copy.region())))
                    .overrideConfiguration(SingleAttempt.OVERRIDE);
            if (spec.image().encrypted() || copy.kmsKey() != null) {
                req.encrypted(true);
                if (copy.kmsKey() != null) {
                    req.kmsKeyId(copy.kmsKey());
                }
            }
            image.imageId = ctx.ec2(copy.region()).copyImage(req.build()).imageId();
            ctx.save();
            ctx.info("copying " + sourceImage + " to " + copy.region() + " as " + image.imageId
                    + (copy.kmsKey() != null ? " (encrypted with " + copy.kmsKey() + ")" : ""));
        }
        List<String> waiting = new ArrayList<>();
        for (BuildSpec.Copy copy : spec.copies()) {
            BuildRecord.RegionImage image = r.image(copy.region());
            if (!image.available) {
                Image found = ctx.image(copy.region(), image.imageId);
                if (found == null) {
                    waiting.add(copy.region());
                    continue;
                }
                PhaseResult settled = WaitImagePhase.settle(ctx, copy.region(), image, found);
                if (settled.kind == PhaseResult.Kind.FAIL) {
                    return settled;
                }
                if (!image.available) {
                    waiting.add(copy.region());
                    continue;
                }
            }
            TagImagePhase.tag(ctx, copy.region(), image);
        }
        if (waiting.isEmpty()) {
            return PhaseResult.done();
        }
        return ctx.pollAtTick();
    }

    @Override
    public PhaseResult cleanup(BuildContext ctx) {
        if (!ctx.failed()) {
            return PhaseResult.done();
        }
        BuildRecord r = ctx.record();
        PhaseResult outcome = PhaseResult.done();
        for (String region : new ArrayList<>(r.images.keySet())) {
            if (region.equals(r.region)) {
                continue;
            }
            PhaseResult one = ImageRemoval.remove(ctx, region);
            if (one.kind == PhaseResult.Kind.POLL) {
                outcome = one;
            }
        }
        return outcome;
    }

    @Override
    public List<String> leftovers(BuildContext ctx) {
        List<String> out = new ArrayList<>();
        ctx.record().images.keySet().stream().filter(region -> !region.equals(ctx.record().region))
                .forEach(region -> out.addAll(ImageRemoval.describe(ctx, region)));
        return out;
    }
}
