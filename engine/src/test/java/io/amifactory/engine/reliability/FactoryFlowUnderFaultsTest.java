package io.amifactory.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.BuildServices;
import io.amifactory.engine.build.BuildStatus;
import io.amifactory.engine.build.FakeClock;
import io.amifactory.engine.build.Step;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.prune.PrunePlan;
import io.amifactory.engine.prune.PrunePolicy;
import io.amifactory.engine.prune.PruneReport;
import io.amifactory.engine.prune.PruneRequest;
import io.amifactory.engine.prune.Pruner;
import io.amifactory.engine.share.ImageSharer;
import io.amifactory.engine.share.ShareReport;
import io.amifactory.engine.share.ShareRequest;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.CheckResult;
import io.amifactory.engine.track.CheckStatus;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The whole factory flow — check, build, share, prune — through the real SDK and the fault proxy against
 * Moto, under issue 6's load (50% throttling, 5% HTTP 5xx on every call type, the production retry budget).
 * Moto's instances never stop by themselves, so the test stops the build instance (straight to Moto, not
 * through the proxy) to stand in for the customisation finishing, and the spec says {@code completion: stop}.
 * Afterwards nothing of the flow may be left behind; a build that fails under the same load must leave
 * nothing at all.
 */
class FactoryFlowUnderFaultsTest extends FlowUnderFaults {
    private static final String HOME = "us-east-1";
    private static final String COPY = "us-west-2";
    private static final List<String> REGIONS = List.of(HOME, COPY);
    private static final String UPSTREAM = "/upstream/base";
    private static final String BUILD_ACCOUNT = "444455556666";
    private static final String SHARE_ACCOUNT = "777788889999";
    private static final String SPEC = """
            name: web
            region: us-east-1
            imageName: "web-{timestamp}"
            source: ssm:/upstream/base
            userData: |
              #!/bin/bash
              yum install -y nginx
            completion: stop
            copies: [us-west-2]
            share: {accounts: ["444455556666"]}
            publish: /amifactory/{name}/latest
            """;
    /**
     * The calls the issue names for each step; each gets at least one throttle, one 500 and one 503 (every
     * other call type meets the same rates, without that guarantee).
     */
    private static final List<String> FLOW_CALLS = List.of("ssm:GetParameters", "ec2:DescribeImages",
            "ec2:RunInstances", "ec2:DescribeInstances", "ec2:CreateImage", "ec2:CopyImage", "ec2:ModifyImageAttribute",
            "ssm:PutParameter", "ec2:TerminateInstances", "ec2:DeregisterImage", "ec2:DeleteSnapshot");
    /** The cleanup of a failed build: under the load while it takes everything back. */
    private static final List<String> CLEANUP_CALLS = List.of("ec2:TerminateInstances", "ec2:DescribeInstances",
            "ec2:DeregisterImage", "ec2:DeleteSnapshot", "ssm:DeleteParameter");

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private String upstreamSource() {
        String source = direct.ec2(HOME).describeImages(b -> b.owners("amazon")
                .filters(f -> f.name("name").values("amzn2-ami-hvm-*-x86_64-gp2"))).images().get(0).imageId();
        parameter(HOME, UPSTREAM, source);
        return source;
    }

    private static BuildSpec spec(String yaml) {
        return new BuildSpecReader(null).readOne(InputNode.parse("spec.yaml", yaml), null);
    }

    /** Drives a build through {@code clients}; stops the instance (straight to Moto) once it is customising. */
    private BuildResult build(AwsClients clients, BuildSpec spec) {
        BuildMachine m = new BuildMachine(spec, BuildRecord.start(spec, "cli", clock), BuildServices.of(clients, null),
                lines::add, clock);
        boolean stopped = false;
        Step s;
        while (!(s = m.step()).isDone()) {
            BuildRecord r = m.record();
            if (!stopped && "customise".equals(r.currentPhase()) && r.instanceId() != null) {
                direct.ec2(HOME).stopInstances(b -> b.instanceIds(r.instanceId()));
                stopped = true;
            }
            clock.advance(s.pollAfter());
        }
        return s.result();
    }

    private Set<String> launchPermissions(String region, String imageId) {
        Set<String> accounts = new TreeSet<>();
        direct.ec2(region).describeImageAttribute(b -> b.imageId(imageId).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::userId).forEach(accounts::add);
        return accounts;
    }

    private Set<String> snapshotsOf(String region, String imageId) {
        Set<String> ids = new HashSet<>();
        for (Image i : direct.ec2(region).describeImages(b -> b.imageIds(imageId)).images()) {
            i.blockDeviceMappings().stream().filter(d -> d.ebs() != null && d.ebs().snapshotId() != null)
                    .forEach(d -> ids.add(d.ebs().snapshotId()));
        }
        return ids;
    }

    @Test
    void checkBuildShareAndPruneCompleteUnderThrottlingAndServerErrorsAndLeaveNothingBehind() {
        String source = upstreamSource();
        // the older release, made without faults: what the prune at the end removes
        BuildResult older = build(clean, spec(SPEC));
        assertEquals(BuildStatus.SUCCEEDED, older.status(), String.join("\n", lines));
        Map<String, Set<String>> olderSnapshots = new HashMap<>();
        REGIONS.forEach(region -> olderSnapshots.put(region, snapshotsOf(region, older.images().get(region))));
        lines.clear();
        clock.advance(java.time.Duration.ofHours(1)); // the next release gets another timestamp in its name

        faults(throttlingAndServerErrors(seed(), FLOW_CALLS));

        // check: the upstream parameter is tracked; its AMI is what the build starts from
        Tracker tracker = new Tracker(faulty, new Ledger(dir.resolve("state.json")), line -> { });
        CheckReport check = tracker.check(List.of(new TrackedImage("base", new ImageSource.Parameter(UPSTREAM), List.of())),
                List.of(HOME));
        assertFalse(check.anyError(), check.toString());
        CheckResult base = check.results().get(0);
        assertEquals(CheckStatus.BASELINE, base.status());
        assertEquals(source, base.imageId());

        // build: the image, a copy, published, shared with the build's account
        BuildResult r = build(faulty, spec(SPEC));
        String log = String.join("\n", lines);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), log);
        assertEquals(base.imageId(), r.sourceImage());
        for (String region : REGIONS) {
            String image = r.images().get(region);
            assertEquals(image, direct.ssm(region).getParameter(b -> b.name("/amifactory/web/latest")).parameter().value(),
                    "published in " + region);
            assertEquals(Set.of(BUILD_ACCOUNT), launchPermissions(region, image), "shared by the build in " + region);
        }
        assertEquals(Set.of(older.images().get(HOME), r.images().get(HOME)), ownImages(HOME),
                "no duplicate image from a retried CreateImage");
        assertEquals(Set.of(older.images().get(COPY), r.images().get(COPY)), ownImages(COPY),
                "no duplicate copy from a retried CopyImage");

        // share: with another account (in the home region: each call costs seconds under this load)
        ShareReport shared = new ImageSharer(faulty).share(ShareRequest.parse(InputNode.parse("share",
                "image: {us-east-1: " + r.images().get(HOME) + "}\naccounts: [\"" + SHARE_ACCOUNT + "\"]\n"),
                List.of()), ProgressListener.NONE);
        assertTrue(shared.ok(), shared.toJson());
        assertEquals(Set.of(BUILD_ACCOUNT, SHARE_ACCOUNT), launchPermissions(HOME, r.images().get(HOME)));
        assertEquals(Set.of(BUILD_ACCOUNT), launchPermissions(COPY, r.images().get(COPY)), "the copy as the build left it");

        // prune: keep the newest, deregister the older release and delete its snapshots (home region only,
        // for time; the copy region's images are pruned the same way by PrunerMotoTest)
        Pruner pruner = new Pruner(faulty);
        PrunePlan plan = pruner.plan(new PruneRequest(ImageQuery.ownName("web-*"), List.of(HOME), PrunePolicy.keepNewest(1),
                List.of()), ProgressListener.NONE);
        PruneReport pruned = pruner.execute(plan, ProgressListener.NONE);
        assertTrue(pruned.ok(), pruned.toJson());
        assertEquals(Set.of(older.images().get(COPY), r.images().get(COPY)), ownImages(COPY), "nothing pruned where not asked");
        for (String region : List.of(HOME)) {
            assertEquals(Set.of(r.images().get(region)), ownImages(region), "only the new image is left in " + region);
            Set<String> snapshots = ownSnapshots(region);
            assertFalse(snapshotsOf(region, r.images().get(region)).isEmpty());
            assertTrue(snapshots.containsAll(snapshotsOf(region, r.images().get(region))), "the kept image keeps its snapshots");
            for (String gone : olderSnapshots.get(region)) {
                assertFalse(snapshots.contains(gone), "the pruned image's snapshot " + gone + " is gone in " + region);
            }
        }

        assertNoBuildInstanceLeft(REGIONS);
        assertFaultsReached(FLOW_CALLS, List.of(Fault.THROTTLE, Fault.SERVER_ERROR, Fault.UNAVAILABLE));
    }

    /**
     * Issue 6's load on every call of the cleanup, and the build's last step (publishing to SSM) is refused — a permission the role lacks,
     * which no retry fixes — after the image was made. The build fails and takes
     * back everything: instance terminated, the AMI deregistered, their snapshots deleted, nothing published.
     */
    @Test
    void aBuildThatFailsUnderFaultsLeavesNothingBehind() {
        upstreamSource();
        Map<String, Set<String>> imagesBefore = new HashMap<>();
        Map<String, Set<String>> snapshotsBefore = new HashMap<>();
        for (String region : REGIONS) {
            imagesBefore.put(region, ownImages(region));
            snapshotsBefore.put(region, ownSnapshots(region));
        }
        // the load on the cleanup's calls (the build up to the refusal runs under it in the test above)
        FaultPlan plan = FaultPlan.seeded(seed());
        for (String type : CLEANUP_CALLS) {
            plan.inject(type, Fault.THROTTLE, 0.50).inject(type, Fault.SERVER_ERROR, 0.025).inject(type, Fault.UNAVAILABLE, 0.025)
                    .first(type, Fault.THROTTLE, 1).first(type, Fault.UNAVAILABLE, 1).first(type, Fault.SERVER_ERROR, 1);
        }
        faults(plan.first("ssm:PutParameter", Fault.ACCESS_DENIED, 1));

        // one region, no sharing: fewer calls (each costs seconds under this load), the same failure path
        BuildResult r = build(faulty, spec(SPEC.replace("copies: [us-west-2]\n", "").replace(
                "share: {accounts: [\"444455556666\"]}\n", "")));
        String log = String.join("\n", lines);

        assertEquals(BuildStatus.FAILED, r.status(), log);
        assertTrue(r.error().contains("AccessDeniedException"), r.error());
        assertTrue(log.contains("everything the build created was removed"), log);
        assertEquals(1, faultyProxy.calls("ec2:DeregisterImage").stream()
                .filter(c -> c.fault() == null).count(), "the image and its copy were made, then deregistered: " + log);
        for (String region : REGIONS) {
            assertEquals(imagesBefore.get(region), ownImages(region), "no AMI of the failed build in " + region);
            assertEquals(snapshotsBefore.get(region), ownSnapshots(region), "no snapshot of the failed build in " + region);
            try {
                String value = direct.ssm(region).getParameter(b -> b.name("/amifactory/web/latest")).parameter().value();
                throw new AssertionError("the failed build published " + value + " in " + region);
            } catch (ParameterNotFoundException expected) {
                // nothing published
            }
        }
        assertNoBuildInstanceLeft(REGIONS);
        assertFaultsReached(CLEANUP_CALLS, List.of(Fault.THROTTLE, Fault.SERVER_ERROR, Fault.UNAVAILABLE));
    }
}
