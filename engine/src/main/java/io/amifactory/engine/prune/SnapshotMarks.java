package io.amifactory.engine.prune;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Deregistering an AMI and deleting its snapshots are separate calls, and EC2 refuses the second before
 * the first. A process that dies between them would leave snapshots nothing points at any more, which no
 * later prune could find through the (gone) AMI. So the snapshots are marked with the AMI's id first, and
 * every prune plan looks for marked snapshots whose AMI is gone.
 */
final class SnapshotMarks {
    /** DescribeImages takes at most 200 values in one filter. */
    private static final int IMAGE_IDS_PER_CALL = 200;

    private SnapshotMarks() {
    }

    static void mark(Ec2Client ec2, List<String> snapshots, String imageId) {
        if (!snapshots.isEmpty()) {
            ec2.createTags(r -> r.resources(snapshots).tags(Tag.builder().key(Tags.PRUNED_IMAGE).value(imageId).build()));
        }
    }

    /**
     * Takes the mark off snapshots that stay (their AMI was not deregistered, or another AMI uses them), so
     * that a later deregistration by someone else does not make them look like a prune's leftovers. Best
     * effort: a mark left on a snapshot whose AMI still exists does nothing.
     */
    static String unmark(Ec2Client ec2, List<String> snapshots) {
        if (snapshots.isEmpty()) {
            return null;
        }
        try {
            ec2.deleteTags(r -> r.resources(snapshots).tags(Tag.builder().key(Tags.PRUNED_IMAGE).build()));
            return null;
        } catch (SdkException e) {
            AwsErrors.throwIfInterruption(e, "taking the prune mark off " + String.join(", ", snapshots));
            return AwsErrors.describe(e);
        }
    }

    /** Our marked snapshots whose AMI no longer exists (in any state, disabled and deprecated included). */
    static List<LeftoverSnapshot> leftovers(Ec2Client ec2) {
        Map<String, String> imageOfSnapshot = new TreeMap<>();
        for (Snapshot s : ec2.describeSnapshotsPaginator(r -> r.ownerIds("self")
                .filters(Filter.builder().name("tag-key").values(Tags.PRUNED_IMAGE).build())).snapshots()) {
            s.tags().stream().filter(t -> Tags.PRUNED_IMAGE.equals(t.key()) && t.value() != null && !t.value().isBlank())
                    .findFirst().ifPresent(t -> imageOfSnapshot.put(s.snapshotId(), t.value()));
        }
        if (imageOfSnapshot.isEmpty()) {
            return List.of();
        }
        List<String> imageIds = new ArrayList<>(new java.util.TreeSet<>(imageOfSnapshot.values()));
        Set<String> existing = new HashSet<>();
        for (int i = 0; i < imageIds.size(); i += IMAGE_IDS_PER_CALL) {
            List<String> chunk = imageIds.subList(i, Math.min(imageIds.size(), i + IMAGE_IDS_PER_CALL));
            // A filter, not ImageIds: asking for an id that is gone fails the whole call.
            ec2.describeImagesPaginator(r -> r.filters(Filter.builder().name("image-id").values(chunk).build())
                    .includeDeprecated(true).includeDisabled(true)).images().stream().map(Image::imageId).forEach(existing::add);
        }
        List<LeftoverSnapshot> out = new ArrayList<>();
        imageOfSnapshot.forEach((snapshot, image) -> {
            if (!existing.contains(image)) {
                out.add(new LeftoverSnapshot(snapshot, image));
            }
        });
        return out;
    }
}
