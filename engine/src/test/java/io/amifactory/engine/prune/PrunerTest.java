package io.amifactory.engine.prune;

import static io.amifactory.engine.image.FakeCloud.image;
import static io.amifactory.engine.image.FakeCloud.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amifactory.engine.Tags;
import io.amifactory.engine.image.FakeCloud;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

class PrunerTest {
    static final String R = "eu-west-1";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:30Z");

    final FakeCloud cloud = new FakeCloud();
    final FakeCloud.Region region = cloud.region(R);
    final List<String> progress = new ArrayList<>();
    final ProgressListener listener = progress::add;
    final Pruner pruner = new Pruner(cloud, Clock.fixed(NOW, ZoneOffset.UTC));

    /** Six "web" images, ami-0001 oldest ... ami-0006 newest, one snapshot each. */
    void sixWebImages() {
        for (int i = 1; i <= 6; i++) {
            region.put(image(String.format("ami-%04d", i), String.format("web-%d", i),
                    String.format("2025-0%d-01T00:00:00.000Z", i)).tags(tag(Tags.TRACKED_IMAGE, "web")).build());
        }
    }

    PruneRequest request(PrunePolicy policy, List<String> parameters, String... regions) {
        return new PruneRequest(ImageQuery.ownName("web-*"), List.of(regions.length == 0 ? new String[] {R} : regions),
                policy, parameters);
    }

    static Map<String, Decision> byImage(RegionPlan plan) {
        return plan.images().stream().collect(Collectors.toMap(Decision::imageId, Function.identity()));
    }

    RegionPlan planOne(PrunePolicy policy, List<String> parameters) {
        PrunePlan plan = pruner.plan(request(policy, parameters), listener);
        assertTrue(cloud.log().mutating().isEmpty(), "planning must not change anything: " + cloud.log().mutating());
        return plan.regions().get(0);
    }

    @Test
    void everySourceOfUseProtectsItsImageAndEveryPageIsRead() {
        sixWebImages();
        region.put(image("ami-00aa", "web-aa", "2024-01-01T00:00:00Z").build());
        region.put(image("ami-00bb", "web-bb", "2024-01-02T00:00:00Z").build());
        region.put(image("ami-00cc", "web-cc", "2024-01-03T00:00:00Z").build());
        // pages of 2: the instance that matters is on the third page; a terminated one protects nothing
        region.instance("i-1", "ami-9999", "running").instance("i-2", "ami-9999", "running")
                .instance("i-3", "ami-9998", "running").instance("i-4", "ami-9998", "terminated")
                .instance("i-7", "ami-9998", "pending").instance("i-5", "ami-0001", "stopped").instance("i-6", "ami-0006", "terminated");
        // version 1 of 3 references ami-0002: only an old version uses it
        region.template("lt-1", "web", "ami-0002", "ami-9999", "ami-9999");
        region.launchConfiguration("old-lc", "ami-0003");
        region.group(AutoScalingGroup.builder().autoScalingGroupName("mixed")
                .mixedInstancesPolicy(m -> m.launchTemplate(t -> t
                        .launchTemplateSpecification(LaunchTemplateSpecification.builder().launchTemplateId("lt-1").version("$Latest").build())
                        .overrides(LaunchTemplateOverrides.builder().instanceType("m7g.large").imageId("ami-0004").build())))
                .build());
        region.parameter("/factory/web/latest", "ami-0005", Map.of(Tags.PUBLISHED_BY, "web"));
        region.parameter("/team/pinned", "ami-00aa", Map.of());
        region.parameter("/apps/a/ami", "ami-00bb", Map.of());
        region.template("lt-2", "ssm-based", "resolve:ssm:/golden/web");
        region.parameter("/golden/web", "ami-00cc", Map.of());

        RegionPlan plan = planOne(PrunePolicy.keepNewest(0), List.of("/team/pinned", "/apps/"));
        Map<String, Decision> d = byImage(plan);

        assertKeepInUse(d, "ami-0001", "instance i-5 (stopped)");
        assertKeepInUse(d, "ami-0002", "launch template web version 1");
        assertKeepInUse(d, "ami-0003", "launch configuration old-lc");
        assertKeepInUse(d, "ami-0004", "auto scaling group mixed (image override)");
        assertKeepInUse(d, "ami-0005", "SSM parameter /factory/web/latest");
        assertKeepInUse(d, "ami-00aa", "SSM parameter /team/pinned");
        assertKeepInUse(d, "ami-00bb", "SSM parameter /apps/a/ami");
        assertKeepInUse(d, "ami-00cc", "SSM parameter /golden/web (launch template ssm-based version 1)");
        assertEquals(Reason.NOT_NEWEST, d.get("ami-0006").reason(), "used only by a terminated instance");
        assertEquals(Map.of("images", 9, "launchTemplates", 2, "launchTemplateVersions", 4, "instances", 5,
                "autoScalingGroups", 1, "launchConfigurations", 1, "parameters", 4), plan.scanned());
        // 5 live instances of 7: the terminated ones are filtered out by EC2
        assertTrue(cloud.log().count("describeInstances") >= 3, "all instance pages read");
    }

    static void assertKeepInUse(Map<String, Decision> d, String image, String by) {
        Decision decision = d.get(image);
        assertEquals(Reason.IN_USE, decision.reason(), image + ": " + decision.detail());
        assertTrue(decision.detail().contains(by), image + ": " + decision.detail() + " should name " + by);
    }

    @Test
    void autoScalingGroupsNameTheTemplateVersionTheyLaunch() {
        sixWebImages();
        region.template("lt-1", "web", "ami-0001", "ami-0002");
        region.group(AutoScalingGroup.builder().autoScalingGroupName("web-asg")
                .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateName("web").version("$Default").build()).build());
        Map<String, Decision> d = byImage(planOne(PrunePolicy.keepNewest(1), List.of()));
        assertKeepInUse(d, "ami-0001", "auto scaling group web-asg (launch template web $Default)");
        assertKeepInUse(d, "ami-0002", "launch template web version 2");
    }

    @Test
    void deregistersAndDeletesTheSnapshotsButKeepsOnesAnotherImageUses() {
        // ami-0002 was registered from ami-0006's snapshot: EC2 refuses to delete it while ami-0006 is kept,
        // which is no failure
        for (int i = 1; i <= 6; i++) {
            String snapshot = i == 2 ? "snap-0006" : String.format("snap-%04d", i);
            region.put(image(String.format("ami-%04d", i), "web-" + i, String.format("2025-0%d-01T00:00:00Z", i))
                    .blockDeviceMappings(BlockDeviceMapping.builder().ebs(EbsBlockDevice.builder().snapshotId(snapshot).build()).build())
                    .build());
        }
        PrunePlan plan = pruner.plan(request(PrunePolicy.keepNewest(2), List.of()), listener);
        PruneReport report = pruner.execute(plan, listener);

        assertTrue(report.ok(), report.toJson());
        assertEquals(Set.of("ami-0005", "ami-0006"), region.imageIds());
        assertEquals(Set.of("snap-0005", "snap-0006"), region.snapshotIds());
        ActionResult two = report.results().get(0).actions().stream().filter(a -> a.imageId().equals("ami-0002")).findFirst().orElseThrow();
        assertEquals(List.of("snap-0006"), two.keptSnapshots());
        assertEquals(4, cloud.log().count("deregisterImage"));
    }

    @Test
    void aFailureIsReportedAndTheOtherImagesAreStillDone() {
        sixWebImages();
        cloud.failOn("deregisterImage", req -> req.toString().contains("ami-0002")
                ? FakeCloud.ec2Error("UnauthorizedOperation", "not allowed") : null);
        cloud.failOn("deleteSnapshot", req -> req.toString().contains("snap-0003")
                ? FakeCloud.ec2Error("RequestLimitExceeded", "slow down") : null);
        PruneReport report = pruner.execute(pruner.plan(request(PrunePolicy.keepNewest(2), List.of()), listener), listener);

        assertFalse(report.ok());
        assertEquals(Set.of("ami-0002", "ami-0005", "ami-0006"), region.imageIds());
        Map<String, ActionResult> r = report.results().get(0).actions().stream()
                .collect(Collectors.toMap(ActionResult::imageId, Function.identity()));
        assertEquals(ActionResult.Status.FAILED, r.get("ami-0002").status());
        assertTrue(r.get("ami-0002").error().contains("UnauthorizedOperation"));
        assertEquals(ActionResult.Status.FAILED, r.get("ami-0003").status());
        assertTrue(r.get("ami-0003").error().startsWith("deregistered, but snapshots were left behind (the next prune deletes them): snap-0003"));
        assertEquals(ActionResult.Status.DONE, r.get("ami-0001").status());
        assertEquals(ActionResult.Status.DONE, r.get("ami-0004").status());
        assertTrue(region.snapshotIds().contains("snap-0002"), "a failed deregistration must not delete its snapshots");
        assertEquals(2, report.failures().size());
    }

    @Test
    void deprecatesAtThePlannedTime() {
        sixWebImages();
        PrunePolicy policy = new PrunePolicy(4, null, PruneAction.DEPRECATE, new DeprecationTime(null, Duration.ofDays(7)), null, false);
        PrunePlan plan = pruner.plan(request(policy, List.of()), listener);
        assertEquals("2025-06-08T12:00:30Z", plan.deprecateAt());
        PruneReport report = pruner.execute(plan, listener);
        assertTrue(report.ok(), report.toJson());
        assertEquals("2025-06-08T12:00:30Z", region.image("ami-0001").deprecationTime());
        assertEquals("2025-06-08T12:00:30Z", region.image("ami-0002").deprecationTime());
        assertNull(region.image("ami-0003").deprecationTime());
        assertEquals(6, region.imageIds().size(), "deprecation removes nothing");

        // a second run finds them already deprecated and changes nothing
        cloud.log().clear();
        PrunePlan again = pruner.plan(request(policy, List.of()), listener);
        assertEquals(0, again.actionCount());
        assertEquals(Reason.ALREADY_DEPRECATED, byImage(again.regions().get(0)).get("ami-0001").reason());
    }

    @Test
    void deprecateNowMeansTheEarliestTimeEc2Accepts() {
        sixWebImages();
        PrunePolicy policy = new PrunePolicy(5, null, PruneAction.DEPRECATE, DeprecationTime.NOW, null, false);
        PrunePlan plan = pruner.plan(request(policy, List.of()), listener);
        assertEquals("2025-06-01T12:02:00Z", plan.deprecateAt());
    }

    @Test
    void disablesAndASecondRunChangesNothing() {
        sixWebImages();
        PrunePolicy policy = new PrunePolicy(3, null, PruneAction.DISABLE, null, null, false);
        assertTrue(pruner.execute(pruner.plan(request(policy, List.of()), listener), listener).ok());
        assertEquals(ImageState.DISABLED, region.image("ami-0001").state());
        assertEquals(ImageState.AVAILABLE, region.image("ami-0004").state());
        cloud.log().clear();
        PrunePlan again = pruner.plan(request(policy, List.of()), listener);
        assertEquals(0, again.actionCount(), again.toJson());
        assertEquals(Reason.ALREADY_DISABLED, byImage(again.regions().get(0)).get("ami-0002").reason());
    }

    @Test
    void aRegionWhoseUsageCannotBeReadIsLeftAloneAndTheOthersGoAhead() {
        sixWebImages();
        FakeCloud.Region other = cloud.region("us-east-1");
        other.put(image("ami-0101", "web-1", "2025-01-01T00:00:00Z").build());
        other.put(image("ami-0102", "web-2", "2025-02-01T00:00:00Z").build());
        // fail only the first call (eu-west-1 is planned first)
        int[] calls = {0};
        cloud.failOn("describeAutoScalingGroups", req -> calls[0]++ == 0
                ? FakeCloud.ec2Error("AccessDenied", "no autoscaling:DescribeAutoScalingGroups") : null);

        PrunePlan plan = pruner.plan(request(PrunePolicy.keepNewest(1), List.of(), R, "us-east-1"), listener);
        assertTrue(plan.hasFailures());
        assertNotNull(plan.regions().get(0).error());
        assertTrue(plan.regions().get(0).error().contains("AccessDenied"));
        assertTrue(plan.regions().get(0).images().isEmpty());

        PruneReport report = pruner.execute(plan, listener);
        assertFalse(report.ok());
        assertEquals(6, region.imageIds().size(), "nothing done where usage was unknown");
        assertEquals(Set.of("ami-0102"), other.imageIds());
    }

    @Test
    void keepSharedAsksOnlyAboutImagesThatWouldGo() {
        sixWebImages();
        region.grant("ami-0002", LaunchPermission.builder().userId("222222222222").build());
        PrunePolicy policy = new PrunePolicy(4, null, PruneAction.DEREGISTER, null, null, true);
        Map<String, Decision> d = byImage(planOne(policy, List.of()));
        assertEquals(Reason.SHARED, d.get("ami-0002").reason());
        assertEquals(Reason.NOT_NEWEST, d.get("ami-0001").reason());
        assertEquals(2, cloud.log().count("describeImageAttribute"));
    }

    @Test
    void thePlanJsonListsEveryImageWithDecisionAndReason() throws Exception {
        sixWebImages();
        region.instance("i-1", "ami-0001", "running");
        PrunePlan plan = pruner.plan(request(new PrunePolicy(2, Duration.ofDays(30), PruneAction.DEREGISTER, null, null, false),
                List.of()), listener);
        JsonNode json = new ObjectMapper().readTree(plan.toJson());
        assertEquals("2025-06-01T12:00:30Z", json.get("createdAt").asText());
        assertEquals("deregister", json.get("policy").get("action").asText());
        assertEquals("30d", json.get("policy").get("maxAge").asText());
        assertEquals(2, json.get("policy").get("keep").asInt());
        assertEquals("web-*", json.get("selection").get("nameGlob").asText());
        JsonNode images = json.get("regions").get(0).get("images");
        assertEquals(6, images.size());
        Map<String, JsonNode> byId = new HashMap<>();
        images.forEach(i -> byId.put(i.get("imageId").asText(), i));
        assertEquals("keep", byId.get("ami-0001").get("decision").asText());
        assertEquals("in-use", byId.get("ami-0001").get("reason").asText());
        assertEquals("deregister", byId.get("ami-0002").get("decision").asText());
        assertEquals("older-than-max-age", byId.get("ami-0002").get("reason").asText());
        assertEquals("snap-0002", byId.get("ami-0002").get("snapshots").get(0).asText());
        assertEquals("newest", byId.get("ami-0006").get("reason").asText());
        assertEquals(3, json.get("regions").get(0).get("summary").get("deregister").asInt());
        assertEquals(3, json.get("regions").get(0).get("summary").get("keep").asInt());
    }

    @Test
    void invalidInputNeverReachesAws() {
        sixWebImages();
        for (String bad : List.of("name: web-*\nkeep: -1\n", "name: web-*\nmaxAge: soon\n", "keep: 1\n",
                "name: web-*\naction: delete\n", "name: web-*\nregions: [mars]\n", "tags: [role]\n",
                "name: web-*\naction: deprecate\ndeprecateAt: 2020-01-01T00:00:00Z\n")) {
            assertThrows(InputException.class, () -> pruner.execute(pruner.plan(
                    PruneRequest.parse(InputNode.parse("prune", bad), List.of(R), NOW), listener),
                    listener), bad);
        }
        assertTrue(cloud.log().calls().isEmpty(), cloud.log().calls().toString());
        assertEquals(6, region.imageIds().size());
    }

    @Test
    void noMatchingImageMeansNoUsageReadAndNothingDone() {
        PrunePlan plan = pruner.plan(request(PrunePolicy.keepNewest(1), List.of()), listener);
        assertEquals(0, plan.actionCount());
        // the images, and snapshots an earlier prune may have left (LeftoverSnapshotsTest)
        assertEquals(List.of("describeImages", "describeSnapshots"), cloud.log().calls());
    }

    @Test
    void anInterruptStopsThePruneAtTheImageUnderWayAndTheNextPruneFinishesIt() {
        sixWebImages();
        PrunePlan plan = pruner.plan(request(PrunePolicy.keepNewest(2), List.of()), listener);
        int[] deregistrations = {0};
        cloud.failOn("deregisterImage", req -> {
            if (++deregistrations[0] < 2) {
                return null;
            }
            return io.amifactory.engine.testkit.FakeErrors.interrupted();
        });

        io.amifactory.engine.aws.AwsInterruptedException e = assertThrows(
                io.amifactory.engine.aws.AwsInterruptedException.class, () -> pruner.execute(plan, listener));

        assertTrue(Thread.interrupted(), "the caller sees the interrupt");
        assertTrue(e.getMessage().startsWith("interrupted while pruning ami-"), e.getMessage());
        assertEquals(2, cloud.log().count("deregisterImage"), "no image after the interrupted one is tried");
        assertFalse(progress.stream().anyMatch(l -> l.contains("Thread was interrupted")), "no image failed: " + progress);
        cloud.failOn("deregisterImage", req -> null);
        PruneReport again = pruner.execute(pruner.plan(request(PrunePolicy.keepNewest(2), List.of()), listener), listener);
        assertTrue(again.ok(), again.toString());
        assertEquals(2, region.imageIds().size(), "the two newest are left: " + region.imageIds());
        assertEquals(2, region.snapshotIds().size(), "and only their snapshots: " + region.snapshotIds());
    }
}
