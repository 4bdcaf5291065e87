package io.amifactory.engine.prune;

import static io.amifactory.engine.image.FakeCloud.image;
import static io.amifactory.engine.image.FakeCloud.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import io.amifactory.engine.image.FakeCloud;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * A prune that dies between deregistering an AMI and deleting its snapshots must not leave snapshots that
 * nothing can find any more: they are marked with the AMI first, and the next prune deletes marked
 * snapshots whose AMI is gone.
 */
class LeftoverSnapshotsTest {
    static final String R = "eu-west-1";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:30Z");

    final FakeCloud cloud = new FakeCloud();
    final FakeCloud.Region region = cloud.region(R);
    final List<String> progress = new ArrayList<>();
    final ProgressListener listener = progress::add;
    final Pruner pruner = new Pruner(cloud, Clock.fixed(NOW, ZoneOffset.UTC));

    void webImages(int count) {
        for (int i = 1; i <= count; i++) {
            region.put(image(String.format("ami-%04d", i), "web-" + i, String.format("2025-0%d-01T00:00:00Z", i)).build());
        }
    }

    PruneRequest keepNewest(int keep, String nameGlob) {
        return new PruneRequest(ImageQuery.ownName(nameGlob), List.of(R), PrunePolicy.keepNewest(keep), List.of());
    }

    String mark(String snapshotId) {
        Snapshot s = region.snapshot(snapshotId);
        return s == null ? "(deleted)" : s.tags().stream().filter(t -> t.key().equals(Tags.PRUNED_IMAGE))
                .map(t -> t.value()).findFirst().orElse("(none)");
    }

    @Test
    void snapshotsAreMarkedWithTheirImageBeforeItIsDeregistered() {
        webImages(3);
        List<String> order = new ArrayList<>();
        cloud.failOn("deregisterImage", req -> {
            order.add("deregister, mark on snap-0001: " + mark("snap-0001"));
            return null;
        });
        PruneReport report = pruner.execute(pruner.plan(keepNewest(2, "web-*"), listener), listener);

        assertTrue(report.ok(), report.toJson());
        assertEquals(List.of("deregister, mark on snap-0001: ami-0001"), order);
        assertEquals(Set.of("snap-0002", "snap-0003"), region.snapshotIds());
    }

    @Test
    void theNextPruneDeletesWhatADeadPruneLeftEvenWhenItsSelectionMatchesNothing() throws Exception {
        webImages(3);
        // the dead run: marked, deregistered, died before DeleteSnapshot
        cloud.ec2(R).createTags(r -> r.resources("snap-0001").tags(tag(Tags.PRUNED_IMAGE, "ami-0001")));
        region.remove("ami-0001");

        PrunePlan plan = pruner.plan(keepNewest(1, "db-*"), listener);
        RegionPlan r = plan.regions().get(0);
        assertEquals(List.of(new LeftoverSnapshot("snap-0001", "ami-0001")), r.leftoverSnapshots());
        assertTrue(r.summaryText().contains("delete 1 snapshot(s) an earlier prune left behind"), r.summaryText());
        com.fasterxml.jackson.databind.JsonNode json = io.amifactory.engine.Json.MAPPER.readTree(plan.toJson());
        assertEquals("snap-0001", json.at("/regions/0/leftoverSnapshots/0/snapshotId").asText(), plan.toJson());
        assertEquals("ami-0001", json.at("/regions/0/leftoverSnapshots/0/imageId").asText(), plan.toJson());
        assertEquals(List.of("createTags"), cloud.log().mutating(), "only the dead run's mark; planning changes nothing");

        PruneReport report = pruner.execute(plan, listener);
        assertTrue(report.ok(), report.toJson());
        ActionResult done = report.results().get(0).actions().get(0);
        assertEquals("ami-0001", done.imageId());
        assertEquals(PruneExecutor.LEFTOVER_NAME, done.name());
        assertEquals(List.of("snap-0001"), done.deletedSnapshots());
        assertEquals(Set.of("snap-0002", "snap-0003"), region.snapshotIds());
        assertEquals(Set.of("ami-0002", "ami-0003"), region.imageIds(), "the images are not the selection's: untouched");
        assertTrue(progress.contains(R + ": ami-0001 (deregistered by an earlier prune): deleted snap-0001"), progress.toString());
    }

    @Test
    void aMarkedSnapshotWhoseImageStillExistsIsNotALeftover() {
        webImages(2);
        // marked, then the deregistration failed and the mark could not be taken off
        cloud.ec2(R).createTags(r -> r.resources("snap-0001").tags(tag(Tags.PRUNED_IMAGE, "ami-0001")));

        PrunePlan plan = pruner.plan(keepNewest(5, "web-*"), listener);

        assertEquals(List.of(), plan.regions().get(0).leftoverSnapshots());
        assertFalse(plan.toJson().contains("leftoverSnapshots"), plan.toJson());
        pruner.execute(plan, listener);
        assertEquals(Set.of("snap-0001", "snap-0002"), region.snapshotIds());
    }

    @Test
    void aFailedDeregistrationTakesTheMarkOffAgain() {
        webImages(2);
        cloud.failOn("deregisterImage", req -> FakeCloud.ec2Error("UnauthorizedOperation", "not allowed"));

        PruneReport report = pruner.execute(pruner.plan(keepNewest(1, "web-*"), listener), listener);

        assertFalse(report.ok());
        assertEquals("(none)", mark("snap-0001"));
        assertEquals(Set.of("ami-0001", "ami-0002"), region.imageIds());
    }

    @Test
    void anImageWhoseSnapshotsCannotBeMarkedIsNotDeregistered() {
        webImages(2);
        cloud.failOn("createTags", req -> FakeCloud.ec2Error("UnauthorizedOperation", "no ec2:CreateTags"));

        PruneReport report = pruner.execute(pruner.plan(keepNewest(1, "web-*"), listener), listener);

        assertFalse(report.ok());
        ActionResult failed = report.failures().get(0);
        assertEquals("ami-0001", failed.imageId());
        assertTrue(failed.error().startsWith("not deregistered: could not mark its snapshots for deletion first (tag "
                + Tags.PRUNED_IMAGE + "; needs ec2:CreateTags on snapshots): UnauthorizedOperation"), failed.error());
        assertEquals(Set.of("ami-0001", "ami-0002"), region.imageIds());
        assertEquals(0, cloud.log().count("deregisterImage"));
    }

    @Test
    void aSnapshotAnotherImageStillUsesIsKeptAndUnmarked() {
        // ami-0001 was registered from ami-0002's snapshot
        region.put(image("ami-0001", "web-1", "2025-01-01T00:00:00Z").blockDeviceMappings(BlockDeviceMapping.builder()
                .ebs(EbsBlockDevice.builder().snapshotId("snap-0002").build()).build()).build());
        region.put(image("ami-0002", "web-2", "2025-02-01T00:00:00Z").build());

        PruneReport report = pruner.execute(pruner.plan(keepNewest(1, "web-*"), listener), listener);

        assertTrue(report.ok(), report.toJson());
        assertEquals(List.of("snap-0002"), report.results().get(0).actions().get(0).keptSnapshots());
        assertEquals("(none)", mark("snap-0002"), "ami-0002's snapshot must not look like a leftover once ami-0002 goes");

        // and when ami-0002 is removed by someone else later, its snapshot is not taken for a leftover
        region.remove("ami-0002");
        assertEquals(List.of(), pruner.plan(keepNewest(1, "web-*"), listener).regions().get(0).leftoverSnapshots());
    }

    @Test
    void notBeingAbleToLookForLeftoversIsAWarningNotAReasonToStop() {
        webImages(2);
        cloud.failOn("describeSnapshots", req -> FakeCloud.ec2Error("UnauthorizedOperation", "no ec2:DescribeSnapshots"));

        PrunePlan plan = pruner.plan(keepNewest(1, "web-*"), listener);

        RegionPlan r = plan.regions().get(0);
        assertFalse(r.failed());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith(
                "could not look for snapshots an earlier prune left behind: UnauthorizedOperation")), r.warnings().toString());
        assertEquals(1, r.actions().size());
    }
}
