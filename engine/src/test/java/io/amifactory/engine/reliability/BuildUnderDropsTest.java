package io.amifactory.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
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
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/**
 * A build through the real SDK and the fault proxy against Moto while connections are dropped — before the
 * request reaches EC2 (nothing happened) and after EC2 carried it out (the reply is lost) — and a third of
 * the calls are slow. A lost reply to a call that creates something is the dangerous case: retried blindly,
 * it launches a second instance or makes a second AMI. The build must complete once: one instance ever
 * launched, one AMI per region, nothing left running. (Moto, unlike EC2, ignores {@code ClientToken}, so
 * only the engine's own care keeps a retried launch or copy from making a second one here.)
 */
class BuildUnderDropsTest extends FlowUnderFaults {
    private static final String HOME = "us-east-1";
    private static final String COPY = "us-west-2";
    private static final List<String> REGIONS = List.of(HOME, COPY);
    private static final String ACCOUNT = "444455556666";
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
    /** The build's calls that change something: each gets one drop before and one after, then the rates. */
    static final List<String> MUTATING = List.of("ec2:RunInstances", "ec2:CreateImage", "ec2:CopyImage",
            "ec2:CreateTags", "ec2:ModifyImageAttribute", "ssm:PutParameter", "ssm:AddTagsToResource",
            "ec2:TerminateInstances");
    static final List<String> READS = List.of("ssm:GetParameters", "ssm:GetParameter", "ec2:DescribeImages",
            "ec2:DescribeInstances");

    private final FakeClock clock = new FakeClock();
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aBuildUnderDroppedConnectionsCompletesOnceWithOneInstanceAndOneImagePerRegion() {
        String source = direct.ec2(HOME).describeImages(b -> b.owners("amazon")
                .filters(f -> f.name("name").values("amzn2-ami-hvm-*-x86_64-gp2"))).images().get(0).imageId();
        parameter(HOME, "/upstream/base", source);
        Map<String, Set<String>> snapshotsBefore = new HashMap<>();
        for (String region : REGIONS) {
            assertTrue(ownImages(region).isEmpty());
            snapshotsBefore.put(region, ownSnapshots(region));
        }
        List<String> named = new ArrayList<>(MUTATING);
        named.addAll(READS);
        faults(droppedConnectionsAndLatency(seed(), named));

        long started = System.nanoTime();
        BuildSpec spec = new BuildSpecReader(null).readOne(InputNode.parse("spec.yaml", SPEC), null);
        BuildRecord record = BuildRecord.start(spec, "cli", clock);
        BuildResult r = build(faulty, spec, record);
        String log = String.join("\n", lines);
        System.out.println("[faults] build under drops took " + (System.nanoTime() - started) / 1_000_000 + " ms");

        assertEquals(BuildStatus.SUCCEEDED, r.status(), log);
        assertEquals(source, r.sourceImage());
        assertEquals(1, instancesOfBuild(record.buildId()), "exactly one build instance was ever launched: " + log);
        for (String region : REGIONS) {
            String image = r.images().get(region);
            assertEquals(Set.of(image), ownImages(region), "one AMI in " + region + ", no duplicate from a retried call: " + log);
            assertEquals(image, direct.ssm(region).getParameter(b -> b.name("/amifactory/web/latest")).parameter().value(),
                    "published in " + region);
            assertEquals(Set.of(ACCOUNT), launchPermissions(region, image), "shared in " + region);
            Set<String> newSnapshots = new TreeSet<>(ownSnapshots(region));
            newSnapshots.removeAll(snapshotsBefore.get(region));
            assertEquals(snapshotsOf(region, image), newSnapshots, "the only new snapshots are the image's own in " + region);
        }
        for (String type : List.of("ec2:RunInstances", "ec2:CreateImage", "ec2:CopyImage")) {
            // the SDK does not repeat these blindly: one attempt was carried out (the lost reply), none after it
            assertEquals(1, faultyProxy.calls(type).stream().filter(c -> c.fault() != Fault.DROP).count(),
                    type + " reached EC2 once: " + faultyProxy.calls(type));
        }
        assertNoBuildInstanceLeft(REGIONS);
        assertFaultsReached(MUTATING, List.of(Fault.DROP, Fault.DROP_AFTER));
        assertFaultsReached(READS, List.of(Fault.DROP, Fault.DROP_AFTER));
    }

    /** Drives the build; stops the instance (straight to Moto) once it is customising, as the script would. */
    private BuildResult build(AwsClients clients, BuildSpec spec, BuildRecord record) {
        BuildMachine m = new BuildMachine(spec, record, BuildServices.of(clients, null), lines::add, clock);
        boolean stopped = false;
        Step s;
        while (!(s = m.step()).isDone()) {
            BuildRecord now = m.record();
            if (!stopped && "customise".equals(now.currentPhase()) && now.instanceId() != null) {
                direct.ec2(HOME).stopInstances(b -> b.instanceIds(now.instanceId()));
                stopped = true;
            }
            clock.advance(s.pollAfter());
        }
        return s.result();
    }

    /** Instances tagged with the build's id in any state, terminated ones included: all it ever launched. */
    private int instancesOfBuild(String buildId) {
        int n = 0;
        for (String region : REGIONS) {
            n += direct.ec2(region).describeInstances(b -> b.filters(Filter.builder().name("tag:" + Tags.BUILD_ID)
                    .values(buildId).build())).reservations().stream().mapToInt(res -> res.instances().size()).sum();
        }
        return n;
    }

    private Set<String> launchPermissions(String region, String imageId) {
        Set<String> accounts = new TreeSet<>();
        direct.ec2(region).describeImageAttribute(b -> b.imageId(imageId).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::userId).forEach(accounts::add);
        return accounts;
    }

    private Set<String> snapshotsOf(String region, String imageId) {
        Set<String> ids = new TreeSet<>();
        direct.ec2(region).describeImages(b -> b.imageIds(imageId)).images().get(0).blockDeviceMappings().forEach(m -> {
            if (m.ebs() != null && m.ebs().snapshotId() != null) {
                ids.add(m.ebs().snapshotId());
            }
        });
        return ids;
    }
}
