package io.amifactory.engine.build;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsErrors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Removes what a failed build made in one region: its image (deregistered, which also stops a pending copy)
 * and the image's snapshots. Images and snapshots are found by the record and by the build-id tag, so an
 * image created just before a crash is found too. Safe to call again until it answers done.
 */
final class ImageRemoval {
    private ImageRemoval() {
    }

    static PhaseResult remove(BuildContext ctx, String region) {
        BuildRecord r = ctx.record();
        Ec2Client ec2 = ctx.ec2(region);
        BuildRecord.RegionImage known = r.existingImage(region);
        Set<String> images = new LinkedHashSet<>();
        Set<String> snapshots = new LinkedHashSet<>();
        if (known != null) {
            if (known.imageId != null) {
                images.add(known.imageId);
            }
            snapshots.addAll(known.snapshotIds);
        }
        madeByBuild(ctx, region).forEach(i -> images.add(i.imageId()));
        List<Image> described = new ArrayList<>();
        for (String id : images) {
            described.addAll(describeQuietly(ec2, id));
        }
        for (Image image : described) {
            image.blockDeviceMappings().forEach(m -> {
                EbsBlockDevice ebs = m.ebs();
                if (ebs != null && ebs.snapshotId() != null) {
                    snapshots.add(ebs.snapshotId());
                }
            });
        }
        ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").filters(BuildTags.byBuild(r.buildId)))
                .snapshots().forEach(s -> snapshots.add(s.snapshotId()));
        if (known != null) {
            // Remember the snapshots before the image that lists them goes away.
            for (String s : snapshots) {
                if (!known.snapshotIds.contains(s)) {
                    known.snapshotIds.add(s);
                }
            }
            ctx.save();
        }

        for (Image image : described) {
            String state = image.stateAsString();
            if ("deregistered".equals(state)) {
                continue;
            }
            try {
                ec2.deregisterImage(b -> b.imageId(image.imageId()));
                ctx.info("deregistered " + image.imageId() + " in " + region);
            } catch (Ec2Exception e) {
                if (!AwsErrors.isNotFound(e)) {
                    throw e;
                }
            }
        }
        boolean waiting = false;
        for (String snapshot : snapshots) {
            try {
                ec2.deleteSnapshot(b -> b.snapshotId(snapshot));
                ctx.info("deleted snapshot " + snapshot + " in " + region);
            } catch (Ec2Exception e) {
                if (AwsErrors.isNotFound(e)) {
                    continue;
                }
                // Right after deregistering, or while a copy is still being written, a snapshot is briefly in use.
                if (AwsErrors.hasCode(e, "InvalidSnapshot.InUse") || AwsErrors.hasCode(e, "IncorrectState")) {
                    waiting = true;
                    continue;
                }
                throw e;
            }
        }
        if (known != null && !waiting) {
            known.snapshotIds.clear();
        }
        return waiting ? ctx.poll() : PhaseResult.done();
    }

    /**
     * The images this build made in {@code region} that its record may not know (made just before a crash or
     * a lost reply): those tagged with its id; where none is, an own image with the build's exact name,
     * created since the build started and tagged by no other build. EC2 tags a copy as it is made, but an
     * EC2 that drops a copy's tags (Moto), or lists a new image under its tag only later, still shows the
     * name — which the preflight found free in every region, so nobody else made that image.
     */
    static List<Image> madeByBuild(BuildContext ctx, String region) {
        BuildRecord r = ctx.record();
        Ec2Client ec2 = ctx.ec2(region);
        List<Image> tagged = ec2.describeImages(b -> b.owners("self").filters(BuildTags.byBuild(r.buildId))
                .includeDeprecated(true)).images();
        if (!tagged.isEmpty() || r.imageName == null) {
            return tagged;
        }
        return ec2.describeImages(b -> b.owners("self").filters(f -> f.name("name").values(r.imageName))
                        .includeDeprecated(true)).images().stream()
                .filter(i -> i.tags().stream().noneMatch(t -> Tags.BUILD_ID.equals(t.key()) && !r.buildId.equals(t.value())))
                .filter(i -> createdSince(i, r.startedAt()))
                .toList();
    }

    private static boolean createdSince(Image image, java.time.Instant start) {
        try {
            return image.creationDate() != null && !java.time.Instant.parse(image.creationDate()).isBefore(start);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    static List<String> describe(BuildContext ctx, String region) {
        BuildRecord.RegionImage known = ctx.record().existingImage(region);
        List<String> out = new ArrayList<>();
        if (known != null && known.imageId != null) {
            out.add("image " + known.imageId + " in " + region + " and its snapshots " + known.snapshotIds);
        }
        return out;
    }

    private static List<Image> describeQuietly(Ec2Client ec2, String imageId) {
        try {
            return ec2.describeImages(b -> b.imageIds(imageId).includeDeprecated(true)).images();
        } catch (Ec2Exception e) {
            if (AwsErrors.isNotFound(e)) {
                return List.of();
            }
            throw e;
        }
    }
}
