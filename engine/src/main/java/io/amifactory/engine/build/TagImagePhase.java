package io.amifactory.engine.build;

import java.util.List;

/**
 * Tags the image and its snapshots. Snapshots cannot be tagged by CreateImage everywhere (emulators refuse
 * it), and an automation document's image carries no tags of ours at all, so both are tagged here.
 */
final class TagImagePhase implements Phase {
    @Override
    public String name() {
        return "tag";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        tag(ctx, r.region, r.image(r.region));
        return PhaseResult.done();
    }

    /** Shared with the copy phase. */
    static void tag(BuildContext ctx, String region, BuildRecord.RegionImage image) {
        if (image.tagged) {
            return;
        }
        ctx.ec2(region).createTags(b -> b.resources(image.imageId).tags(BuildTags.ec2(BuildTags.image(ctx, region))));
        if (!image.snapshotIds.isEmpty()) {
            List<String> snapshots = List.copyOf(image.snapshotIds);
            ctx.ec2(region).createTags(b -> b.resources(snapshots).tags(BuildTags.ec2(BuildTags.snapshot(ctx, region))));
        }
        image.tagged = true;
    }
}
