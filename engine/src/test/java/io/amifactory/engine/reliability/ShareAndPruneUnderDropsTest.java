package io.amifactory.engine.reliability;

import static io.amifactory.engine.reliability.TwoRegionEstate.FIRST;
import static io.amifactory.engine.reliability.TwoRegionEstate.REGIONS;
import static io.amifactory.engine.reliability.TwoRegionEstate.SECOND;
import static io.amifactory.engine.reliability.TwoRegionEstate.normalise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.prune.Decision;
import io.amifactory.engine.prune.PrunePlan;
import io.amifactory.engine.prune.PrunePolicy;
import io.amifactory.engine.prune.PruneReport;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.prune.Pruner;
import io.amifactory.engine.prune.RegionPlan;
import io.amifactory.engine.share.ImageSharer;
import io.amifactory.engine.share.RegionShare;
import io.amifactory.engine.share.ShareReport;
import io.amifactory.engine.share.ShareRequest;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Share and prune in two regions through the real SDK and the fault proxy, with connections dropped before
 * the request reaches AWS and after AWS carried it out (the reply lost), against the same flow over the
 * clean proxy on an identical twin of the data. A retried change whose first attempt went through must
 * read as done: an added permission is added once, a deregistered image or deleted snapshot that is gone
 * already is not a failure. And a usage read that fails for good must never let an image in use go.
 */
class ShareAndPruneUnderDropsTest extends FlowUnderFaults {
    private static final String CLEAN = "cleanrun";
    private static final String FAULTY = "droprun";
    private static final String ACCOUNT_A = "111111111111";
    private static final String ACCOUNT_B = "222222222222";
    private static final String ORG = "arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5";
    private static final String OU = "arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-ab12-cdef3456";
    /** Every call type a share with snapshot permissions makes. */
    private static final List<String> SHARE_CALLS = List.of("ec2:DescribeImages", "ec2:DescribeImageAttribute",
            "ec2:ModifyImageAttribute", "ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute",
            "ec2:ModifySnapshotAttribute");
    /** Every call type a prune (plan and deregister) makes. */
    private static final List<String> PRUNE_CALLS = List.of("ec2:DescribeImages", "ec2:DescribeLaunchTemplates",
            "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeInstances", "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeLaunchConfigurations", "ssm:DescribeParameters", "ssm:GetParameters",
            "ec2:DeregisterImage", "ec2:DeleteSnapshot");

    private TwoRegionEstate estate;

    @BeforeEach
    void estate() {
        estate = new TwoRegionEstate(direct);
    }

    // ---- share

    /** Shares (then unshares part of it) the family's image in both regions; region 2's image starts shared with A. */
    private List<ShareReport> shareAndUnshare(AwsClients clients, Map<String, String> images) {
        String image = "image: {" + FIRST + ": " + images.get(FIRST) + ", " + SECOND + ": " + images.get(SECOND) + "}\n";
        ImageSharer sharer = new ImageSharer(clients);
        ShareReport shared = sharer.share(ShareRequest.parse(InputNode.parse("share", image + "accounts: [\"" + ACCOUNT_A
                + "\", \"" + ACCOUNT_B + "\"]\norgArns: [\"" + ORG + "\"]\nouArns: [\"" + OU + "\"]\nsnapshots: true\n"),
                List.of()), ProgressListener.NONE);
        ShareReport unshared = sharer.share(ShareRequest.parse(InputNode.parse("unshare", image + "accounts: [\"" + ACCOUNT_B
                + "\"]\nouArns: [\"" + OU + "\"]\nsnapshots: true\nremove: true\n"), List.of()), ProgressListener.NONE);
        return List.of(shared, unshared);
    }

    /** What a share reports, region by region, without the ids that differ between the twins. */
    private static List<String> comparable(ShareReport report, String family) {
        List<String> out = new ArrayList<>();
        for (RegionShare r : report.regions()) {
            out.add(normalise(r.region() + " " + r.imageName() + " " + r.status() + " added " + r.added().describe()
                    + " removed " + r.removed().describe() + " now " + (r.launchPermissions() == null ? null
                    : r.launchPermissions().describe()) + " snapshots " + r.snapshotPermissions().values() + " warnings "
                    + r.warnings() + " error " + r.error(), family, CLEAN));
        }
        return out;
    }

    @Test
    void aShareUnderDroppedConnectionsEndsWithTheSamePermissionsAsAFaultFreeShare() {
        Map<String, Map<String, String>> images = Map.of(CLEAN, new TreeMap<>(), FAULTY, new TreeMap<>());
        for (String family : List.of(CLEAN, FAULTY)) {
            images.get(family).put(FIRST, estate.shareImage(FIRST, family, null));
            images.get(family).put(SECOND, estate.shareImage(SECOND, family, ACCOUNT_A));
        }
        List<ShareReport> reference = shareAndUnshare(clean, images.get(CLEAN));

        faults(droppedConnectionsAndLatency(seed(), SHARE_CALLS));
        List<ShareReport> underDrops = shareAndUnshare(faulty, images.get(FAULTY));

        for (int i = 0; i < 2; i++) {
            assertTrue(reference.get(i).ok(), reference.get(i).toJson());
            assertTrue(underDrops.get(i).ok(), underDrops.get(i).toJson());
            assertEquals(comparable(reference.get(i), CLEAN), comparable(underDrops.get(i), FAULTY),
                    "the same report as the fault-free run");
        }
        for (String region : REGIONS) {
            String cleanImage = images.get(CLEAN).get(region);
            String faultyImage = images.get(FAULTY).get(region);
            assertEquals(estate.launchPermissions(region, cleanImage), estate.launchPermissions(region, faultyImage),
                    "launch permissions in " + region);
            assertEquals(Set.of(ACCOUNT_A), estate.launchPermissions(region, faultyImage).accounts());
            assertEquals(Set.of(ORG), estate.launchPermissions(region, faultyImage).organizationArns());
            assertTrue(estate.launchPermissions(region, faultyImage).organizationalUnitArns().isEmpty());
            assertEquals(estate.snapshotAccounts(region, cleanImage), estate.snapshotAccounts(region, faultyImage),
                    "snapshot permissions in " + region);
            assertEquals(Set.of(ACCOUNT_A), estate.snapshotAccounts(region, faultyImage));
        }
        assertFaultsReached(SHARE_CALLS, List.of(Fault.DROP, Fault.DROP_AFTER));
    }

    // ---- prune

    private static PruneRequest pruneRequest(String family) {
        return new PruneRequest(ImageQuery.ownName(family + "-*"), REGIONS, PrunePolicy.keepNewest(1), List.of());
    }

    /** The plan, region by region, without the ids that differ between the twins. */
    private static List<String> comparable(PrunePlan plan, String family) {
        List<String> out = new ArrayList<>();
        for (RegionPlan region : plan.regions()) {
            out.add(region.region() + " error " + region.error() + " scanned " + region.scanned());
            for (Decision d : region.images()) {
                out.add(normalise(region.region() + " " + d.name() + " " + d.family() + " " + d.decisionText() + " "
                        + d.reason().code() + " " + d.detail() + " snapshots " + d.snapshots().size(), family, CLEAN));
            }
        }
        return out;
    }

    @Test
    void aPruneUnderDroppedConnectionsMakesTheSamePlanAndRemovesExactlyWhatItSays() {
        Map<String, Map<String, List<String>>> ids = Map.of(CLEAN, new TreeMap<>(), FAULTY, new TreeMap<>());
        for (String family : List.of(CLEAN, FAULTY)) {
            for (String region : REGIONS) {
                ids.get(family).put(region, estate.pruneFamily(region, family));
            }
        }
        Map<String, Set<String>> snapshotsBefore = new TreeMap<>();
        REGIONS.forEach(region -> snapshotsBefore.put(region, ownSnapshots(region)));
        Pruner reference = new Pruner(clean);
        PrunePlan referencePlan = reference.plan(pruneRequest(CLEAN), ProgressListener.NONE);

        faults(droppedConnectionsAndLatency(seed(), PRUNE_CALLS));
        Pruner underDrops = new Pruner(faulty);
        PrunePlan plan = underDrops.plan(pruneRequest(FAULTY), ProgressListener.NONE);
        assertEquals(comparable(referencePlan, CLEAN), comparable(plan, FAULTY), "the same plan as the fault-free run");
        assertEquals(4, plan.actionCount(), plan.toJson());

        PruneReport referenceReport = reference.execute(referencePlan, ProgressListener.NONE);
        PruneReport report = underDrops.execute(plan, ProgressListener.NONE);
        assertTrue(referenceReport.ok(), referenceReport.toJson());
        assertTrue(report.ok(), "a retried deregistration or deletion whose first attempt went through is done: "
                + report.toJson());

        for (String region : REGIONS) {
            for (String family : List.of(CLEAN, FAULTY)) {
                assertEquals(Set.of(family + "-1", family + "-2", family + "-3", family + "-5"),
                        estate.imagesOf(region, family).keySet(), family + " in " + region);
            }
            Set<String> snapshots = ownSnapshots(region);
            Set<String> gone = new java.util.TreeSet<>(snapshotsBefore.get(region));
            gone.removeAll(snapshots);
            assertEquals(4, gone.size(), "the snapshots of the four deregistered images in " + region + ": " + gone);
            for (String family : List.of(CLEAN, FAULTY)) {
                for (String kept : estate.imagesOf(region, family).values()) {
                    assertTrue(snapshots.contains(estate.snapshotOf(region, kept)), "a kept image keeps its snapshot");
                }
            }
        }
        assertEquals(Set.copyOf(REGIONS), faultyProxy.calls("ec2:DeregisterImage").stream().map(c -> c.region())
                .collect(java.util.stream.Collectors.toSet()), "deregistrations under faults in both regions");
        // the retries of a deregistration and a deletion that had gone through met "already gone" (HTTP 400)
        for (String type : List.of("ec2:DeregisterImage", "ec2:DeleteSnapshot")) {
            assertTrue(faultyProxy.calls(type).stream().anyMatch(c -> c.fault() == null && c.status() == 400),
                    type + ": no retry found its work done: " + faultyProxy.calls(type));
        }
        assertFaultsReached(PRUNE_CALLS, List.of(Fault.DROP, Fault.DROP_AFTER));
    }

    /**
     * A usage read that fails for good — a permission missing, or the connection dropped on every attempt of
     * a small retry budget — leaves the region unplanned: nothing deleted, the report says why. Once the
     * read works, the same prune removes the unused images and still keeps the ones in use.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({"ec2:DescribeLaunchTemplateVersions, ACCESS_DENIED, UnauthorizedOperation",
            "ec2:DescribeInstances, DROP, Unable to execute HTTP request"})
    void anImageInUseIsNeverDeletedWhenAUsageReadFailsForGood(String callType, Fault fault, String why) {
        Map<String, List<String>> ids = new TreeMap<>();
        for (String region : REGIONS) {
            ids.put(region, estate.pruneFamily(region, FAULTY));
        }
        Map<String, Set<String>> snapshotsBefore = new TreeMap<>();
        REGIONS.forEach(region -> snapshotsBefore.put(region, ownSnapshots(region)));
        faultySettings(b -> b.maxAttempts(2));
        faults(FaultPlan.seeded(seed()).inject(callType, fault, 1.0));
        List<String> warnings = new ArrayList<>();
        Pruner pruner = new Pruner(faulty);

        PrunePlan plan = pruner.plan(pruneRequest(FAULTY), new ProgressListener() {
            @Override
            public void info(String line) {
            }

            @Override
            public void warn(String line) {
                warnings.add(line);
            }
        });
        PruneReport report = pruner.execute(plan, ProgressListener.NONE);

        assertFalse(report.ok(), report.toJson());
        assertTrue(faultyProxy.log().mutating().isEmpty(), "nothing may be changed on partial usage facts: "
                + faultyProxy.log().mutating());
        for (String region : REGIONS) {
            PruneReport.RegionResult result = report.results().stream().filter(r -> r.region().equals(region)).findFirst()
                    .orElseThrow();
            assertNotNull(result.error(), report.toJson());
            assertTrue(result.error().startsWith("could not plan, nothing will be done here: ")
                    && result.error().contains(why), result.error());
            assertTrue(result.actions().isEmpty());
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith(region + ": could not plan")), warnings.toString());
            assertEquals(Set.copyOf(ids.get(region)), Set.copyOf(estate.imagesOf(region, FAULTY).values()),
                    "every image is still there in " + region);
            assertEquals(snapshotsBefore.get(region), ownSnapshots(region), "every snapshot is still there in " + region);
        }
        assertTrue(faultyProxy.calls(callType).stream().allMatch(c -> c.fault() == fault), faultCounts().toString());

        // the read works again: the unused images go, those in use (F-1 only through a template's old version,
        // F-2 through the instance) stay
        faults(FaultPlan.none());
        PruneReport after = pruner.execute(pruner.plan(pruneRequest(FAULTY), ProgressListener.NONE), ProgressListener.NONE);
        assertTrue(after.ok(), after.toJson());
        for (String region : REGIONS) {
            assertEquals(Set.of(FAULTY + "-1", FAULTY + "-2", FAULTY + "-3", FAULTY + "-5"),
                    estate.imagesOf(region, FAULTY).keySet(), region);
        }
    }
}
