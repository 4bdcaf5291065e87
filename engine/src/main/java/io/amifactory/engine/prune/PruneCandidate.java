package io.amifactory.engine.prune;

import io.amifactory.engine.Tags;
import io.amifactory.engine.image.ImageFinder;
import io.amifactory.engine.image.ImageOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The few facts about an image the planner needs, kept instead of the SDK object so that a plan over
 * 100,000 images stays small.
 *
 * @param createdText             the creation time as EC2 wrote it (shown in the plan)
 * @param state                   EC2 image state as text: available, pending, failed, disabled, ...
 * @param deprecatedAt            when the image is (or will be) deprecated; null if never
 * @param deregistrationProtected deregistration protection is on (EC2 refuses to deregister it)
 */
public record PruneCandidate(String imageId, String name, Instant created, String createdText, String state,
        String family, boolean keepTag, Instant deprecatedAt, boolean deregistrationProtected, List<String> snapshotIds) {

    public static final Comparator<PruneCandidate> NEWEST_FIRST =
            ImageOrder.newestFirst(PruneCandidate::created, PruneCandidate::name, PruneCandidate::imageId);

    /** A candidate whose creation time is shown as {@link Instant#toString()}. */
    public PruneCandidate(String imageId, String name, Instant created, String state, String family, boolean keepTag,
            Instant deprecatedAt, boolean deregistrationProtected, List<String> snapshotIds) {
        this(imageId, name, created, created.toString(), state, family, keepTag, deprecatedAt, deregistrationProtected,
                snapshotIds);
    }

    public PruneCandidate {
        snapshotIds = snapshotIds == null ? List.of() : List.copyOf(snapshotIds);
        // a handful of distinct values shared by 100,000 records: one copy each
        state = state == null ? null : state.intern();
        family = family == null ? null : family.intern();
    }

    public static PruneCandidate of(Image image, FamilyRule family) {
        Map<String, String> tags = new HashMap<>();
        for (Tag t : image.tags()) {
            tags.put(t.key(), t.value());
        }
        List<String> snapshots = new ArrayList<>(1);
        for (BlockDeviceMapping m : image.blockDeviceMappings()) {
            if (m.ebs() != null && m.ebs().snapshotId() != null) {
                snapshots.add(m.ebs().snapshotId());
            }
        }
        String protection = image.deregistrationProtection();
        // EC2's own text is kept for the plan: formatting 100,000 instants again costs more than holding it
        Instant created = ImageOrder.creationInstant(image.creationDate());
        return new PruneCandidate(image.imageId(), image.name(), created,
                image.creationDate() == null ? created.toString() : image.creationDate(), image.stateAsString(), family.familyOf(image.name(), tags),
                "true".equalsIgnoreCase(tags.getOrDefault(Tags.KEEP, "").trim()),
                ImageFinder.deprecationInstant(image),
                protection != null && protection.startsWith("enabled"),
                snapshots);
    }
}
