package io.amifactory.engine.build;

import java.time.Duration;
import software.amazon.awssdk.services.ec2.model.Image;

/** Waits until the build region's image is available and records its snapshots. */
final class WaitImagePhase implements Phase {
    static final Duration VISIBILITY_GRACE = Duration.ofMinutes(2);

    @Override
    public String name() {
        return "wait-image";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        BuildRecord.RegionImage image = r.image(r.region);
        Image found = ctx.image(r.region, image.imageId);
        if (found == null) {
            if (ctx.now().isBefore(r.instant(r.phaseStartedAt).plus(VISIBILITY_GRACE))) {
                return ctx.pollAtTick();
            }
            return PhaseResult.fail("the image " + image.imageId + " has disappeared");
        }
        if (found.name() != null && !found.name().equals(r.imageName)) {
            r.imageName = found.name(); // an automation document chose its own name; copies take the same
        }
        return settle(ctx, r.region, image, found);
    }

    /** Shared with the copy phase: available → record snapshots; failed → fail; else wait. */
    static PhaseResult settle(BuildContext ctx, String region, BuildRecord.RegionImage image, Image found) {
        String state = found.stateAsString();
        if ("available".equals(state)) {
            image.available = true;
            image.snapshotIds.clear();
            found.blockDeviceMappings().forEach(m -> {
                if (m.ebs() != null && m.ebs().snapshotId() != null) {
                    image.snapshotIds.add(m.ebs().snapshotId());
                }
            });
            ctx.info(image.imageId + " is available in " + region + " (snapshots " + String.join(", ", image.snapshotIds) + ")");
            return PhaseResult.done();
        }
        if ("pending".equals(state)) {
            return ctx.pollAtTick();
        }
        String why = found.stateReason() == null ? "" : ": " + found.stateReason().message();
        return PhaseResult.fail("the image " + image.imageId + " in " + region + " is " + state + why);
    }
}
