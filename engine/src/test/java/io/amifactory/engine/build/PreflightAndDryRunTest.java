package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReaderTest;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.TrackedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever is wrong with a build, the spec or what it refers to in AWS, is found before the first call that
 * changes anything: recorded calls prove it.
 */
class PreflightAndDryRunTest {
    private static final String SIMPLE = """
            name: web
            imageName: "web-{date}"
            source: ami-0a1b2c3d4e5f60718
            userData: "#!/bin/bash\\necho hi"
            copies: [us-east-1]
            """;

    static Stream<String> invalidSpecs() {
        return BuildSpecReaderTest.invalid().map(a -> (String) a.get()[0]);
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void anInvalidSpecNeverReachesAws(String yaml) {
        Harness h = new Harness();
        assertThrows(InputException.class, () -> h.run(yaml));
        assertEquals(0, h.aws.callCount(), "not even a read");
    }

    private static void assertFailsInPreflightWithoutChanges(Harness h, String yaml, String expected) {
        BuildResult r = h.run(yaml);
        assertEquals(BuildStatus.FAILED, r.status(), h.log());
        assertTrue(r.error().contains(expected), r.error());
        assertEquals(List.of(), h.aws.calls.mutating(), "no mutating call");
    }

    @Test
    void aTakenNameInAnyRegionStopsTheBuildBeforeLaunch() {
        Harness h = new Harness();
        h.aws.fakeEc2("us-east-1").addOwnImage("ami-0eeeeeeeeeeeeeeee", "web-2026-03-01");
        assertFailsInPreflightWithoutChanges(h, SIMPLE,
                "imageName: an AMI named 'web-2026-03-01' already exists in us-east-1 (ami-0eeeeeeeeeeeeeeee)");
    }

    @Test
    void aMissingSourceStopsTheBuild() {
        assertFailsInPreflightWithoutChanges(new Harness(), SIMPLE.replace("ami-0a1b2c3d4e5f60718", "ami-0000000000000dead"),
                "the AMI ami-0000000000000dead does not exist in eu-west-1");
        assertFailsInPreflightWithoutChanges(new Harness(), SIMPLE.replace("ami-0a1b2c3d4e5f60718", "ssm:/golden/web"),
                "the SSM parameter /golden/web does not exist in eu-west-1");
        assertFailsInPreflightWithoutChanges(new Harness(), SIMPLE.replace("source: ami-0a1b2c3d4e5f60718",
                "source: {filters: {name: \"rhel-*\"}, owners: [amazon]}"), "no AMI in eu-west-1 matches filters name=rhel-*");
        assertFailsInPreflightWithoutChanges(new Harness(), SIMPLE.replace("ami-0a1b2c3d4e5f60718", "eks-131"),
                "no tracked image named 'eks-131' is configured here");
    }

    @Test
    void aWindowsSourceCannotTakeAUserDataScript() {
        Harness h = new Harness();
        h.aws.fakeEc2("eu-west-1").addSourceImage("ami-0bbbbbbbbbbbbbbbb", "Windows_Server-2022", "x86_64", "windows");
        assertFailsInPreflightWithoutChanges(h, SIMPLE.replace("ami-0a1b2c3d4e5f60718", "ami-0bbbbbbbbbbbbbbbb"),
                "is a Windows image; userData and bootstrapUrl builds wrap a bash script");
    }

    @Test
    void aRootVolumeSmallerThanTheSourceIsRefused() {
        assertFailsInPreflightWithoutChanges(new Harness(), SIMPLE + "instance: {rootVolume: {size: 4}}\n",
                "instance.rootVolume.size: 4 GiB is smaller than the source's root snapshot (8 GiB)");
    }

    @Test
    void sourcesResolveFromParametersFiltersAndTrackedImages() {
        Harness h = new Harness();
        FakeEc2 ec2 = h.aws.fakeEc2("eu-west-1");
        ec2.addSourceImage("ami-0cccccccccccccccc", "al2023-ami-2023.6.20260101.0-kernel-6.1-x86_64", "x86_64", null);
        h.aws.fakeSsm("eu-west-1").put("/golden/web", Harness.SOURCE);
        Ec2SourceResolver resolver = new Ec2SourceResolver(h.aws, name -> name.equals("al2023")
                ? Optional.of(new TrackedImage("al2023", new ImageSource.Filters(Map.of("name", List.of("al2023-ami-*")),
                        List.of("amazon"), false), List.of()))
                : Optional.empty());

        ResolvedSource fromParameter = resolver.resolve(new BuildSpec.Lookup(new ImageSource.Parameter("/golden/web")), "eu-west-1");
        assertEquals(Harness.SOURCE, fromParameter.imageId());
        assertEquals("ssm:/golden/web", fromParameter.resolvedFrom());

        ResolvedSource newest = resolver.resolve(new BuildSpec.Lookup(new ImageSource.Filters(
                Map.of("name", List.of("al2023-ami-*")), List.of("amazon"), false)), "eu-west-1");
        assertEquals(Harness.SOURCE, newest.imageId(), "the newest by creation date, then name");

        ResolvedSource tracked = resolver.resolve(new BuildSpec.Tracked("al2023"), "eu-west-1");
        assertEquals(Harness.SOURCE, tracked.imageId());
        assertEquals("al2023", tracked.trackedImage());
        assertEquals("/dev/xvda", tracked.rootDeviceName());
        assertEquals(8, tracked.rootVolumeSize());
    }

    @Test
    void aTrackedSourceIsTaggedOnTheImage() {
        Harness h = new Harness();
        BuildServices services = h.services().withSources((source, region) ->
                new Ec2SourceResolver(h.aws).resolve(new BuildSpec.ImageId(Harness.SOURCE), region).withTracked("al2023"));
        BuildSpec spec = Harness.spec(SIMPLE.replace("ami-0a1b2c3d4e5f60718", "al2023"));
        BuildResult r = BuildDriver.run(new BuildMachine(spec, BuildRecord.start(spec, "jenkins web-ami #7", h.clock),
                services, h.progress, h.clock), h.clock.sleeper());
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        FakeEc2.Img image = h.aws.fakeEc2("eu-west-1").image(r.images().get("eu-west-1"));
        assertEquals("al2023", image.tags.get(io.amifactory.engine.Tags.TRACKED_IMAGE));
        assertEquals("jenkins web-ami #7", image.tags.get(io.amifactory.engine.Tags.BUILT_BY));
    }

    @Test
    void aDryRunChecksPermissionsAndCreatesNothing() {
        Harness h = new Harness();
        BuildResult r = h.run(SIMPLE + "dryRun: true\nshare: {accounts: [\"444455556666\"]}\npublish: /amifactory/{name}/latest\n");
        assertEquals(BuildStatus.DRY_RUN, r.status(), h.log());
        assertEquals(0, h.aws.launchedInstances());
        assertEquals(List.of(), h.aws.madeImages());
        assertEquals(List.of("runInstances", "copyImage"), h.aws.calls.mutating(), "both with DryRun=true");
        String log = h.log();
        assertTrue(log.contains("RunInstances in eu-west-1: allowed (EC2 dry run)"), log);
        assertTrue(log.contains("CopyImage to us-east-1: allowed (EC2 dry run)"), log);
        assertTrue(log.contains("would publish its id to /amifactory/web/latest in us-east-1"), log);
        assertTrue(log.contains("would share it with 1 account(s)"), log);
    }

    @Test
    void aDryRunWithoutPermissionFails() {
        Harness h = new Harness();
        h.aws.faults.alwaysError("runInstances", "UnauthorizedOperation");
        BuildResult r = h.run(SIMPLE + "dryRun: true\n");
        assertEquals(BuildStatus.FAILED, r.status());
        assertTrue(r.error().contains("RunInstances in eu-west-1: UnauthorizedOperation"), r.error());
        assertEquals(0, h.aws.launchedInstances());
    }
}
