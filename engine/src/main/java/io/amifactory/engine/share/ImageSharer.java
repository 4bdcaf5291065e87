package io.amifactory.engine.share;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.image.ImageFinder;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.share.ShareRequest.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.LaunchPermissionModifications;
import software.amazon.awssdk.services.ec2.model.OperationType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;

/**
 * Adds or removes launch permissions (and snapshot create-volume permissions) on one AMI per region.
 *
 * <p>Check first, change second: every region's AMI is found, its ownership, state and snapshot keys
 * checked and its current permissions read before the first change anywhere. A problem in any region
 * refuses the whole request ({@link ShareRefusedException}), so that a share is never left done in
 * some regions because of a typo or a missing copy in another. Changes are idempotent: only what is
 * missing is added and only what is present is removed, so a repeated request makes no change. A
 * region whose change fails is reported and the others carry on.
 */
public final class ImageSharer {
    /** What an AWS error does to a share. */
    public enum OnAwsError {
        /** Checks: abort everything ({@link ShareAbortedException}); changes: report the region as failed. */
        REPORT,
        /**
         * Let the SDK exception through as it is, for a caller with its own retry (a build retries a phase
         * after throttling; sharing again is harmless because only what is missing is added).
         */
        THROW
    }

    private final ClientSource clients;
    private final ImageFinder finder;
    private final SnapshotKeys keys;
    private final Clock clock;
    private final OnAwsError onAwsError;

    public ImageSharer(ClientSource clients) {
        this(clients, OnAwsError.REPORT);
    }

    public ImageSharer(ClientSource clients, OnAwsError onAwsError) {
        this(clients, Clock.systemUTC(), onAwsError);
    }

    ImageSharer(ClientSource clients, Clock clock) {
        this(clients, clock, OnAwsError.REPORT);
    }

    private ImageSharer(ClientSource clients, Clock clock, OnAwsError onAwsError) {
        this.clients = clients;
        this.finder = new ImageFinder(clients);
        this.keys = new SnapshotKeys(clients);
        this.clock = clock;
        this.onAwsError = onAwsError;
    }

    /**
     * Shares or unshares as {@code request} says and reports the resulting permissions per region.
     *
     * @throws ShareRefusedException when the request cannot be carried out as asked; nothing changed
     * @throws ShareAbortedException when AWS failed during the checks; nothing changed
     */
    public ShareReport share(ShareRequest request, ProgressListener progress) {
        List<String> problems = new ArrayList<>();
        List<Prepared> prepared = new ArrayList<>();
        for (String region : request.regions()) {
            try {
                prepare(region, request, problems).ifPresent(prepared::add);
            } catch (ShareAbortedException e) {
                if (onAwsError == OnAwsError.THROW && e.getCause() instanceof SdkException cause) {
                    throw cause;
                }
                throw e;
            } catch (SdkException e) {
                AwsErrors.throwIfInterruption(e, "checking " + region + " before sharing; nothing was changed");
                if (onAwsError == OnAwsError.THROW) {
                    throw e;
                }
                throw new ShareAbortedException(region + ": " + AwsErrors.describe(e) + ". Nothing was changed.", e);
            }
        }
        if (!problems.isEmpty()) {
            throw new ShareRefusedException(problems);
        }
        List<RegionShare> results = new ArrayList<>();
        for (Prepared p : prepared) {
            p.warnings.forEach(progress::warn);
            results.add(apply(p, request, progress));
        }
        return new ShareReport(request.operation(), results);
    }

    /** Everything that can be known before a change: read-only calls only. */
    private Optional<Prepared> prepare(String region, ShareRequest request, List<String> problems) {
        Ec2Client ec2 = clients.ec2(region);
        Optional<Image> found = locate(region, request.images());
        if (found.isEmpty()) {
            if (request.images() instanceof ImageLocator.ById byId) {
                problems.add(region + ": " + byId.imageIdByRegion().get(region)
                        + " does not exist there or is not owned by this account (only the owner can share an AMI)");
            } else if (request.images() instanceof ImageLocator.ByQuery byQuery) {
                problems.add(region + ": no available image of this account matches " + byQuery.query().describe());
            }
            return Optional.empty();
        }
        Image image = found.get();
        if (image.state() != ImageState.AVAILABLE && image.state() != ImageState.PENDING) {
            problems.add(region + ": " + image.imageId() + " is " + image.stateAsString() + " and cannot be shared");
            return Optional.empty();
        }
        Prepared p = new Prepared(region, image);
        Grantees targets = request.grantees();
        if (image.ownerId() != null && targets.accounts().contains(image.ownerId())) {
            p.warnings.add(region + ": " + image.imageId() + " belongs to account " + image.ownerId()
                    + ", which needs no permission of its own; left out");
            targets = targets.withoutAccount(image.ownerId());
        }
        p.targets = targets;
        List<String> snapshotIds = snapshotIds(image);
        if (request.operation() == Operation.ADD && !snapshotIds.isEmpty()) {
            List<Snapshot> snapshots = ec2.describeSnapshots(r -> r.snapshotIds(snapshotIds)).snapshots();
            if (targets.everyone() && snapshots.stream().anyMatch(s -> Boolean.TRUE.equals(s.encrypted()))) {
                problems.add(region + ": " + image.imageId() + " has encrypted snapshots; EC2 cannot make an encrypted AMI public");
            }
            SnapshotKeys.Verdict verdict = keys.check(region, image.imageId(), snapshots, targets);
            problems.addAll(verdict.problems());
            p.warnings.addAll(verdict.warnings());
        }
        if (request.snapshots()) {
            if (!targets.organizationArns().isEmpty() || !targets.organizationalUnitArns().isEmpty() || targets.everyone()) {
                p.warnings.add(region + ": snapshot permissions go to the accounts only "
                        + "(EC2 cannot share snapshots with organizations, OUs or the public)");
            }
            for (String id : snapshotIds) {
                p.snapshotAccounts.put(id, snapshotAccounts(ec2, id));
            }
        }
        p.current = launchPermissions(ec2, image.imageId());
        return Optional.of(p);
    }

    private Optional<Image> locate(String region, ImageLocator locator) {
        if (locator instanceof ImageLocator.ById byId) {
            return finder.ownImage(region, byId.imageIdByRegion().get(region));
        }
        ImageLocator.ByQuery byQuery = (ImageLocator.ByQuery) locator;
        return finder.newest(region, byQuery.query(), clock.instant(), false);
    }

    private RegionShare apply(Prepared p, ShareRequest request, ProgressListener progress) {
        Ec2Client ec2 = clients.ec2(p.region);
        String imageId = p.image.imageId();
        boolean add = request.operation() == Operation.ADD;
        Grantees change = add ? p.targets.minus(p.current) : p.targets.intersect(p.current);
        Map<String, Set<String>> snapshotChanges = new LinkedHashMap<>();
        p.snapshotAccounts.forEach((snapshot, current) -> {
            Set<String> accounts = new TreeSet<>(p.targets.accounts());
            if (add) {
                accounts.removeAll(current);
            } else {
                accounts.retainAll(current);
            }
            if (!accounts.isEmpty()) {
                snapshotChanges.put(snapshot, accounts);
            }
        });
        String label = p.region + ": " + imageId + " (" + p.image.name() + ")";
        try {
            if (!change.isEmpty()) {
                LaunchPermissionModifications mods = add
                        ? LaunchPermissionModifications.builder().add(change.toLaunchPermissions()).build()
                        : LaunchPermissionModifications.builder().remove(change.toLaunchPermissions()).build();
                ec2.modifyImageAttribute(r -> r.imageId(imageId).launchPermission(mods));
                progress.info(label + ": " + (add ? "shared with " : "unshared from ") + change.describe());
            }
            for (Map.Entry<String, Set<String>> e : snapshotChanges.entrySet()) {
                ec2.modifySnapshotAttribute(r -> r.snapshotId(e.getKey())
                        .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)
                        .operationType(add ? OperationType.ADD : OperationType.REMOVE)
                        .userIds(e.getValue()));
                progress.info(label + ": snapshot " + e.getKey() + (add ? " create-volume permission added for " : " create-volume permission removed from ")
                        + String.join(", ", e.getValue()));
            }
        } catch (SdkException e) {
            // Interrupted part-way: what was done stays done, and sharing again finishes the rest.
            AwsErrors.throwIfInterruption(e, "sharing " + label);
            progress.warn(label + ": " + AwsErrors.describe(e));
            if (onAwsError == OnAwsError.THROW) {
                throw e;
            }
            return new RegionShare(p.region, imageId, p.image.name(), RegionShare.Status.FAILED,
                    add ? change : Grantees.NONE, add ? Grantees.NONE : change, readBackQuietly(ec2, imageId),
                    null, p.warnings, AwsErrors.describe(e));
        }
        boolean changed = !change.isEmpty() || !snapshotChanges.isEmpty();
        try {
            Grantees now = launchPermissions(ec2, imageId);
            Map<String, Set<String>> snapshotsNow = new LinkedHashMap<>();
            for (String id : p.snapshotAccounts.keySet()) {
                snapshotsNow.put(id, snapshotAccounts(ec2, id));
            }
            if (!changed) {
                progress.info(label + ": already as asked; no change");
            }
            progress.info(label + ": launch permissions now: " + now.describe());
            return new RegionShare(p.region, imageId, p.image.name(),
                    changed ? RegionShare.Status.CHANGED : RegionShare.Status.UNCHANGED,
                    add ? change : Grantees.NONE, add ? Grantees.NONE : change, now,
                    request.snapshots() ? snapshotsNow : null, p.warnings, null);
        } catch (SdkException e) {
            AwsErrors.throwIfInterruption(e, "reading back the permissions of " + label + " (the change was made)");
            if (onAwsError == OnAwsError.THROW) {
                throw e;
            }
            // The change went through; only reading it back failed. Report what was done, and the failure.
            return new RegionShare(p.region, imageId, p.image.name(), RegionShare.Status.FAILED,
                    add ? change : Grantees.NONE, add ? Grantees.NONE : change, null, null, p.warnings,
                    "changed, but reading the permissions back failed: " + AwsErrors.describe(e));
        }
    }

    private static Grantees readBackQuietly(Ec2Client ec2, String imageId) {
        try {
            return launchPermissions(ec2, imageId);
        } catch (SdkException e) {
            return null;
        }
    }

    private static Grantees launchPermissions(Ec2Client ec2, String imageId) {
        return Grantees.of(ec2.describeImageAttribute(r -> r.imageId(imageId).attribute(ImageAttributeName.LAUNCH_PERMISSION))
                .launchPermissions());
    }

    private static Set<String> snapshotAccounts(Ec2Client ec2, String snapshotId) {
        Set<String> out = new TreeSet<>();
        for (CreateVolumePermission p : ec2.describeSnapshotAttribute(r -> r.snapshotId(snapshotId)
                .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)).createVolumePermissions()) {
            if (p.userId() != null) {
                out.add(p.userId());
            }
        }
        return out;
    }

    static List<String> snapshotIds(Image image) {
        List<String> out = new ArrayList<>();
        for (BlockDeviceMapping m : image.blockDeviceMappings()) {
            if (m.ebs() != null && m.ebs().snapshotId() != null) {
                out.add(m.ebs().snapshotId());
            }
        }
        return out;
    }

    /** One region's AMI and what was read about it before any change. */
    private static final class Prepared {
        final String region;
        final Image image;
        final List<String> warnings = new ArrayList<>();
        final Map<String, Set<String>> snapshotAccounts = new LinkedHashMap<>();
        Grantees targets;
        Grantees current;

        Prepared(String region, Image image) {
            this.region = region;
            this.image = image;
        }
    }
}
