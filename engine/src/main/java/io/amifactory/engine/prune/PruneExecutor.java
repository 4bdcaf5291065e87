package io.amifactory.engine.prune;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Carries out a plan's actions, image by image. A failure is recorded and the next image is tried:
 * one stubborn image never stops a cleanup. Deregistration comes before snapshot deletion because EC2
 * refuses to delete a snapshot that a registered AMI still uses.
 */
final class PruneExecutor {
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
        return results;
    }

    private static String done(ActionResult r, Instant deprecateAt) {
        return switch (r.action()) {
            case DEREGISTER -> "deregistered" + (r.deletedSnapshots().isEmpty() ? "" : ", deleted " + String.join(", ", r.deletedSnapshots()))
                    + (r.keptSnapshots().isEmpty() ? "" : "; kept " + String.join(", ", r.keptSnapshots()) + " (used by another image)");
            case DEPRECATE -> "deprecated at " + deprecateAt;
            case DISABLE -> "disabled";
        };
    }

    private ActionResult deregister(Ec2Client ec2, Decision d) {
        try {
            ec2.deregisterImage(r -> r.imageId(d.imageId()));
        } catch (SdkException e) {
            String code = AwsErrors.code(e);
            // Gone already (an earlier run, or someone else): its snapshots may still be left to delete.
            if (!"InvalidAMIID.NotFound".equals(code) && !"InvalidAMIID.Unavailable".equals(code)) {
                return failed(d, AwsErrors.describe(e));
            }
        }
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String snapshot : d.snapshots()) {
            try {
                ec2.deleteSnapshot(r -> r.snapshotId(snapshot));
                deleted.add(snapshot);
            } catch (SdkException e) {
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
        if (!errors.isEmpty()) {
            return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.FAILED, deleted, kept,
                    "deregistered, but snapshots were left behind: " + String.join("; ", errors));
        }
        return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.DONE, deleted, kept, null);
    }

    private ActionResult deprecate(Ec2Client ec2, Decision d, Instant planned) {
        // A plan acted on later than it was made must still name a future time.
        Instant earliest = DeprecationTime.earliest(clock.instant());
        Instant at = planned == null || planned.isBefore(earliest) ? earliest : planned;
        try {
            ec2.enableImageDeprecation(r -> r.imageId(d.imageId()).deprecateAt(at));
            return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.DONE, null, null, null);
        } catch (SdkException e) {
            return failed(d, AwsErrors.describe(e));
        }
    }

    private ActionResult disable(Ec2Client ec2, Decision d) {
        try {
            ec2.disableImage(r -> r.imageId(d.imageId()));
            return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.DONE, null, null, null);
        } catch (SdkException e) {
            return failed(d, AwsErrors.describe(e));
        }
    }

    private static ActionResult failed(Decision d, String error) {
        return new ActionResult(d.imageId(), d.name(), d.action(), ActionResult.Status.FAILED, null, null, error);
    }
}
