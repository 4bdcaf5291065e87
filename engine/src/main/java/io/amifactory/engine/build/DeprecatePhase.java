package io.amifactory.engine.build;

import java.time.Instant;
import java.util.Map;

/** Sets the deprecation time (build time + deprecateAfter) on the image in every region. */
final class DeprecatePhase implements Phase {
    @Override
    public String name() {
        return "deprecate";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        if (r.deprecateAt == null) {
            // Fixed once, so that every region (and a resumed build) gets the same time.
            r.deprecateAt = ctx.now().plus(ctx.spec().image().deprecateAfter()).toString();
        }
        Instant at = Instant.parse(r.deprecateAt);
        for (Map.Entry<String, BuildRecord.RegionImage> e : r.images.entrySet()) {
            BuildRecord.RegionImage image = e.getValue();
            if (image.deprecated || image.imageId == null) {
                continue;
            }
            ctx.ec2(e.getKey()).enableImageDeprecation(b -> b.imageId(image.imageId).deprecateAt(at));
            image.deprecated = true;
            ctx.info(image.imageId + " in " + e.getKey() + " is deprecated from " + at);
        }
        return PhaseResult.done();
    }
}
