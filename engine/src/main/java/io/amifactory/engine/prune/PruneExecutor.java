package io.amifactory.engine.prune;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Carries out a plan's actions, image by image. A failure is recorded and the next image is tried:
 * one stubborn image never stops a cleanup. Deregistration comes before snapshot deletion because EC2
 * refuses to delete a snapshot that a registered AMI still uses; the snapshots are marked first
 * ({@link SnapshotMarks}) so that a run that dies in between leaves nothing the next one cannot find.
 */
final class PruneExecutor {
    /** The name a result carries for an AMI an earlier prune deregistered (it is gone, so is its name). */
    static final String LEFTOVER_NAME = "(deregistered by an earlier prune)";
    private final ClientSource clients;
    private final Clock clock;

    PruneExecutor(ClientSource clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    List<ActionResult> execute(RegionPlan plan, Instant deprecateAt, ProgressListener progress) {
        Ec2Client ec2 = clients.ec2(plan.region());
        List<ActionResult> results = new ArrayList<>();
        for (Decision d : plan.actions()) {
            ActionResult r = switch (d.action()) {
                case DEREGISTER -> deregister(ec2, d);
                case DEPRECATE -> deprecate(ec2, d, deprecateAt);
                case DISABLE -> disable(ec2, d);
            };
            String label = plan.region() + ": " + d.imageId() + " (" + d.name() + "): ";
            if (r.status() == ActionResult.Status.DONE) {
                progress.info(label + done(r, deprecateAt));
            } else {
                progress.warn(label + d.action().json() + " failed: " + r.error());
            }
            results.add(r);
        }
        results.addAll(deleteLeftovers(ec2, plan, progress));
        return results;
    }

    /** One result per AMI whose snapshots an earlier prune left behind. */
    private List<ActionResult> deleteLeftovers(Ec2Client ec2, RegionPlan plan, ProgressListener progress) {
        Map<String, List<String>> byImage = new TreeMap<>();
        plan.leftoverSnapshots().forEach(l -> byImage.computeIfAbsent(l.imageId(), k -> new ArrayList<>()).add(l.snapshotId()));
        List<ActionResult> results = new ArrayList<>();
        byImage.forEach((imageId, snapshots) -> {
            ActionResult r = deleteSnapshots(ec2, imageId, LEFTOVER_NAME, snapshots);
            String label = plan.region() + ": " + imageId + " (deregistered by an earlier prune): ";
            if (r.status() == ActionResult.Status.DONE) {
                progress.info(label + snapshotsText(r));
            } else {
                progress.warn(label + r.error());
            }
            results.add(r);
        });
        return results;
    }

    private static String snapshotsText(ActionResult r) {
        String deleted = r.deletedSnapshots().isEmpty() ? "" : "deleted " + String.join(", ", r.deletedSnapshots());
        return deleted + (r.keptSnapshots().isEmpty() ? ""
                : (deleted.isEmpty() ? "" : "; ") + "kept " + String.join(", ", r.keptSnapshots()) + " (used by another image)");
    }

    private static String done(ActionResult r, Instant deprecateAt) {
        return switch (r.action()) {
            case DEREGISTER -> "deregistered" + (r.deletedSnapshots().isEmpty() && r.keptSnapshots().isEmpty() ? "" : ", " + snapshotsText(r));
            case DEPRECATE -> "deprecated at " + deprecateAt;
            case DISABLE -> "disabled";
        };
    }

    private ActionResult deregister(Ec2Client ec2, Decision d) {
        try {
            SnapshotMarks.mark(ec2, d.snapshots(), d.imageId());
        } catch (SdkException e) {
            stopIfInterrupted(e, d.imageId());
            return failed(d, "not deregistered: could not mark its snapshots for deletion first (tag "
                    + Tags.PRUNED_IMAGE + "; needs ec2:CreateTags on snapshots): " + AwsErrors.describe(e));
        }
        try {
            ec2.deregisterImage(r -> r.imageId(d.imageId()));
        } catch (SdkException e) {
            stopIfInterrupted(e, d.imageId());
            String code = AwsErrors.code(e);
            // Gone already (an earlier run, or someone else): its snapshots may still be left to delete.
            if (!"InvalidAMIID.NotFound".equals(code) && !"InvalidAMIID.Unavailable".equals(code)) {
                String unmarked = SnapshotMarks.unmark(ec2, d.snapshots());
                return failed(d, AwsErrors.describe(e) + (unmarked == null ? ""
                        : "; its snapshots keep the mark " + Tags.PRUNED_IMAGE + ": " + unmarked));
            }
        }
        return deleteSnapshots(ec2, d.imageId(), d.name(), d.snapshots());
    }

    /** Deletes the snapshots of a deregistered AMI; one that another AMI still uses is kept, not a failure. */
    private static ActionResult deleteSnapshots(Ec2Client ec2, String imageId, String name, List<String> snapshots) {
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String snapshot : snapshots) {
            try {
                ec2.deleteSnapshot(r -> r.snapshotId(snapshot));
                deleted.add(snapshot);
            } catch (SdkException e) {
                stopIfInterrupted(e, imageId);
                String code = AwsErrors.code(e);
                if ("InvalidSnapshot.InUse".equals(code)) {
                    kept.add(snapshot);
                } else if ("InvalidSnapshot.NotFound".equals(code)) {
                    deleted.add(snapshot);
                } else {
                    errors.add(snapshot + ": " + AwsErrors.describe(e));
                }
            }
        }
        // A kept snapshot is another AMI's now: it must not look like a leftover once that AMI goes.
        SnapshotMarks.unmark(ec2, kept);
        if (!errors.isEmpty()) {
            return new ActionResult(imageId, name, PruneAction.DEREGISTER, ActionResult.Status.FAILED, deleted, kept,
                    "deregistered, but snapshots were left behind (the next prune deletes them): " + String.join("; ", errors));
        }
        return new ActionResult(imageId, name, PruneAction.DEREGISTER, ActionResult.Status.DONE, deleted, kept, null);
    }

    private ActionResult deprecate(Ec2Client ec2, Decision d, Instant planned) {
        // A plan acted on later than it was made must still name a future time.
        Instant earliest = DeprecationTime.earliest(clock.instant());
        Instant at = planned == null || planned.isBefore(earliest) ? earliest : planned;
        try {
            ec2.enableImageDeprecation(r -> r.imageId(d.imageId()).deprecateAt(at));
            return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.DONE, null, null, null);
        } catch (SdkException e) {
            stopIfInterrupted(e, d.imageId());
            return failed(d, AwsErrors.describe(e));
        }
    }

    private ActionResult disable(Ec2Client ec2, Decision d) {
        try {
            ec2.disableImage(r -> r.imageId(d.imageId()));
            return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.DONE, null, null, null);
        } catch (SdkException e) {
            stopIfInterrupted(e, d.imageId());
            return failed(d, AwsErrors.describe(e));
        }
    }

    /**
     * An interrupt is not this image's failure: the prune stops here. What was done stays done; the snapshots of
     * an image deregistered just before carry their mark, and the next prune deletes them.
     */
    private static void stopIfInterrupted(SdkException e, String imageId) {
        AwsErrors.throwIfInterruption(e, "pruning " + imageId);
    }

    private static ActionResult failed(Decision d, String error) {
        return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.FAILED, null, null, error);
    }
}
