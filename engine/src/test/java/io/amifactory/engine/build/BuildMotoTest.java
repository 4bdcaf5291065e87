package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.testkit.MotoExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The build end to end through the real SDK against Moto. Moto's instances never stop by themselves and its
 * console output is a fixed sample without our markers, so the test stops the instance to stand in for the
 * customisation finishing, and the spec says {@code completion: stop} (the honest way to accept a stop
 * without an exit status). The marker path itself is covered by the fakes and by running the wrapper in bash.
 */
@ExtendWith(MotoExtension.class)
class BuildMotoTest {
    private static final String SPEC = """
            name: web
            region: us-east-1
            imageName: "web-{timestamp}"
            source:
              filters: {name: "amzn2-ami-hvm-*-x86_64-gp2"}
              owners: [amazon]
            userData: |
              #!/bin/bash
              yum install -y nginx
            completion: stop
            copies: [us-west-2]
            share: {accounts: ["444455556666"]}
            publish: /amifactory/{name}/latest
            image:
              tags: {team: platform}
              snapshotTags: {backup: "no"}
            """;

    private final FakeClock clock = new FakeClock();
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private BuildResult drive(AwsClients clients, BuildSpec spec, boolean stopInstance) {
        BuildMachine m = new BuildMachine(spec, BuildRecord.start(spec, "cli", clock), BuildServices.of(clients, null),
                lines::add, clock);
        boolean stopped = false;
        Step s;
        while (!(s = m.step()).isDone()) {
            BuildRecord r = m.record();
            if (stopInstance && !stopped && "customise".equals(r.currentPhase()) && r.instanceId() != null) {
                clients.ec2("us-east-1").stopInstances(b -> b.instanceIds(r.instanceId()));
                stopped = true;
            }
            clock.advance(s.pollAfter());
        }
        return s.result();
    }

    private static BuildSpec spec(String yaml) {
        return new BuildSpecReader(null).readOne(InputNode.parse("spec.yaml", yaml), null);
    }

    @Test
    void aBuildMakesATaggedImageCopiesItPublishesItAndTerminatesTheInstance(AwsClients clients) {
        BuildResult r = drive(clients, spec(SPEC), true);
        String log = String.join("\n", lines);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), log);

        Ec2Client east = clients.ec2("us-east-1");
        Ec2Client west = clients.ec2("us-west-2");
        Image image = east.describeImages(b -> b.imageIds(r.images().get("us-east-1"))).images().get(0);
        Map<String, String> tags = tags(image.tags());
        assertEquals(r.buildId(), tags.get(Tags.BUILD_ID));
        assertEquals(r.sourceImage(), tags.get(Tags.SOURCE_IMAGE));
        assertEquals("cli", tags.get(Tags.BUILT_BY));
        assertEquals("platform", tags.get("team"));
        assertEquals(r.imageName(), image.name());
        String snapshot = image.blockDeviceMappings().get(0).ebs().snapshotId();
        Map<String, String> snapshotTags = tags(east.describeSnapshots(b -> b.snapshotIds(snapshot)).snapshots().get(0).tags());
        assertEquals(r.buildId(), snapshotTags.get(Tags.BUILD_ID));
        assertEquals("no", snapshotTags.get("backup"));
        assertEquals("444455556666", east.describeImageAttribute(b -> b.imageId(image.imageId()).attribute("launchPermission"))
                .launchPermissions().get(0).userId());

        Image copy = west.describeImages(b -> b.imageIds(r.images().get("us-west-2"))).images().get(0);
        assertEquals(image.name(), copy.name());
        assertEquals(r.buildId(), tags(copy.tags()).get(Tags.BUILD_ID), "copies carry the tags too");
        assertEquals(r.sourceImage(), tags(copy.tags()).get(Tags.SOURCE_IMAGE));

        assertEquals(image.imageId(), clients.ssm("us-east-1").getParameter(b -> b.name("/amifactory/web/latest")).parameter().value());
        assertEquals(copy.imageId(), clients.ssm("us-west-2").getParameter(b -> b.name("/amifactory/web/latest")).parameter().value());

        Instance instance = east.describeInstances(b -> b.instanceIds(r.buildInstance())).reservations().get(0).instances().get(0);
        assertEquals("terminated", instance.state().nameAsString());
        Map<String, String> instanceTags = tags(instance.tags());
        assertEquals(Tags.ROLE_BUILD_INSTANCE, instanceTags.get(Tags.ROLE));
        assertEquals(r.buildId(), instanceTags.get(Tags.BUILD_ID));
        assertTrue(instanceTags.containsKey(Tags.EXPIRES));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("completion: stop")), r.warnings().toString());
        assertTrue(log.contains("| Linux version"), "Moto's console sample is streamed\n" + log);
    }

    @Test
    void aStopWithoutAnExitStatusFailsWhenTheSpecWantsTheMarkerAndNothingIsLeft(AwsClients clients) {
        BuildResult r = drive(clients, spec(SPEC.replace("completion: stop\n", "")), true);
        assertEquals(BuildStatus.FAILED, r.status(), String.join("\n", lines));
        assertTrue(r.error().contains("stopped without reporting an exit status"), r.error());
        Ec2Client east = clients.ec2("us-east-1");
        assertEquals("terminated", east.describeInstances(b -> b.instanceIds(r.buildInstance())).reservations().get(0)
                .instances().get(0).state().nameAsString());
        assertEquals(List.of(), east.describeImages(b -> b.owners("self")).images());
        assertEquals(List.of(), clients.ec2("us-west-2").describeImages(b -> b.owners("self")).images());
    }

    @Test
    void aBuildFromAnSsmParameterThatIsAbortedLeavesNothing(AwsClients clients) {
        String source = clients.ec2("us-east-1").describeImages(b -> b.owners("amazon")
                .filters(f -> f.name("name").values("amzn2-ami-hvm-*-x86_64-gp2"))).images().get(0).imageId();
        clients.ssm("us-east-1").putParameter(b -> b.name("/upstream/al2").value(source).type("String"));
        BuildSpec spec = spec(SPEC.replace("""
                source:
                  filters: {name: "amzn2-ami-hvm-*-x86_64-gp2"}
                  owners: [amazon]
                """, "source: ssm:/upstream/al2\n"));
        BuildMachine m = new BuildMachine(spec, BuildRecord.start(spec, "cli", clock), BuildServices.of(clients, null),
                lines::add, clock);
        Harness.stepUntil(m, clock, r -> r.instanceId() != null);
        assertEquals(source, m.record().source().imageId());
        m.abort("Ctrl-C");
        BuildResult r = BuildDriver.run(m, clock.sleeper());
        assertEquals(BuildStatus.ABORTED, r.status());
        assertEquals("terminated", clients.ec2("us-east-1").describeInstances(b -> b.instanceIds(r.buildInstance()))
                .reservations().get(0).instances().get(0).state().nameAsString());
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
