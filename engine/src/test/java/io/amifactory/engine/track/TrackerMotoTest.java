package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.testkit.MotoExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/** The tracker through the real SDK against Moto; our own images and parameters stand in for upstream ones. */
@ExtendWith(MotoExtension.class)
class TrackerMotoTest {
    private static final String REGION = "us-east-1";
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    @TempDir
    Path dir;

    private static String registerImage(AwsClients aws, String name) {
        Ec2Client ec2 = aws.ec2(REGION);
        String base = aws.ssm(REGION).getParameter(b -> b.name(AL2023)).parameter().value();
        String instance = ec2.runInstances(b -> b.imageId(base).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        String image = ec2.createImage(b -> b.instanceId(instance).name(name)).imageId();
        ec2.terminateInstances(b -> b.instanceIds(instance));
        return image;
    }

    @Test
    void newParameterVersionAndNewImageAreReportedNewExactlyOnce(AwsClients aws) {
        String v1 = registerImage(aws, "upstream-os-2026.01");
        aws.ssm(REGION).putParameter(b -> b.name("/upstream/os/latest").value(v1).type("String"));
        List<TrackedImage> images = List.of(
                new TrackedImage("by-parameter", new ImageSource.Parameter("/upstream/os/latest"), List.of(REGION)),
                new TrackedImage("by-filters", new ImageSource.Filters(
                        Map.of("name", List.of("upstream-os-*")), List.of("self"), false), List.of(REGION)),
                new TrackedImage("aws-public", new ImageSource.Parameter(AL2023), List.of(REGION)));
        Tracker tracker = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { });

        CheckReport first = tracker.check(images, List.of());
        assertTrue(first.results().stream().allMatch(r -> r.status() == CheckStatus.BASELINE), first.toString());
        assertEquals(v1, first.results().get(0).imageId());
        assertEquals("upstream-os-2026.01", first.results().get(0).imageName(), "name looked up for a parameter AMI");
        assertNotNull(first.results().get(0).creationDate());
        assertEquals(v1, first.results().get(1).imageId());
        assertTrue(first.events().isEmpty());

        String v2 = registerImage(aws, "upstream-os-2026.02");
        aws.ssm(REGION).putParameter(b -> b.name("/upstream/os/latest").value(v2).type("String").overwrite(true));

        CheckReport second = tracker.check(images, List.of());
        assertEquals(List.of(CheckStatus.NEW, CheckStatus.NEW, CheckStatus.UNCHANGED),
                second.results().stream().map(CheckResult::status).toList());
        assertEquals(v2, second.results().get(0).imageId());
        assertEquals(v1, second.results().get(0).previousImageId());
        assertEquals(v2, second.results().get(1).imageId());
        assertEquals(2, second.events().size());
        assertEquals("upstream-os-2026.02", second.events().get(0).imageName());
        second.events().forEach(e -> tracker.acknowledge(e.id()));

        CheckReport third = tracker.check(images, List.of());
        assertTrue(third.results().stream().allMatch(r -> r.status() == CheckStatus.UNCHANGED), third.toString());
        assertTrue(third.events().isEmpty());
    }

    @Test
    void missingParameterIsThatPairsErrorOnly(AwsClients aws) {
        List<TrackedImage> images = List.of(
                new TrackedImage("missing", new ImageSource.Parameter("/upstream/none"), List.of(REGION)),
                new TrackedImage("aws-public", new ImageSource.Parameter(AL2023), List.of(REGION)));
        CheckReport r = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { }).check(images, List.of());
        assertEquals(CheckStatus.ERROR, r.results().get(0).status());
        assertEquals("parameter not found: /upstream/none", r.results().get(0).error());
        assertEquals(CheckStatus.BASELINE, r.results().get(1).status());
    }
}
