package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;

class BuildMachineTest {

    @Test
    void aFullBuildMakesTaggedSharedPublishedImagesAndTerminatesTheInstance() {
        Harness h = new Harness();
        Instant start = h.clock.instant();
        BuildResult r = h.run(Harness.FULL);

        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(List.of("eu-west-1", "us-east-1"), List.copyOf(r.images().keySet()));
        assertEquals(Harness.SOURCE, r.sourceImage());
        assertTrue(Duration.between(start, h.clock.instant()).toMinutes() >= 25, "the customisation takes 25 simulated minutes");

        FakeEc2 eu = h.aws.fakeEc2("eu-west-1");
        FakeEc2.Img image = eu.image(r.images().get("eu-west-1"));
        assertEquals("available", image.state);
        assertEquals(r.buildId(), image.tags.get(Tags.BUILD_ID));
        assertEquals(Harness.SOURCE, image.tags.get(Tags.SOURCE_IMAGE));
        assertEquals("cli", image.tags.get(Tags.BUILT_BY));
        assertEquals("platform", image.tags.get("team"));
        assertEquals(Harness.SOURCE_NAME, image.tags.get("source"), "tag values are templates");
        assertEquals(r.imageName(), image.name);
        assertTrue(image.name.matches("web-2026030110\\d{4}"), image.name);
        assertNotNull(image.deprecateAt);
        assertEquals("444455556666", image.launchPermissions.get(0).userId());
        FakeEc2.Snap snap = eu.snapshots.get(image.snapshotIds.get(0));
        assertEquals(r.buildId(), snap.tags.get(Tags.BUILD_ID));
        assertEquals("no", snap.tags.get("backup"));
        assertEquals(List.of("444455556666"), snap.volumeUsers);

        FakeEc2 us = h.aws.fakeEc2("us-east-1");
        FakeEc2.Img copy = us.image(r.images().get("us-east-1"));
        assertEquals("available", copy.state);
        assertEquals(image.name, copy.name);
        assertEquals(r.buildId(), copy.tags.get(Tags.BUILD_ID));
        assertEquals(Harness.SOURCE, copy.tags.get(Tags.SOURCE_IMAGE));
        assertEquals(r.buildId(), us.snapshots.get(copy.snapshotIds.get(0)).tags.get(Tags.BUILD_ID));
        assertEquals(image.deprecateAt, copy.deprecateAt, "every region is deprecated at the same time");

        assertEquals(r.images().get("eu-west-1"), h.aws.fakeSsm("eu-west-1").parameters.get("/amifactory/web/latest").value);
        assertEquals(r.images().get("us-east-1"), h.aws.fakeSsm("us-east-1").parameters.get("/amifactory/web/latest").value);
        assertEquals("aws:ec2:image", h.aws.fakeSsm("us-east-1").parameters.get("/amifactory/web/latest").dataType);
        assertEquals("web", h.aws.fakeSsm("eu-west-1").parameters.get("/amifactory/web/latest").tags.get(Tags.PUBLISHED_BY));

        assertEquals(List.of(), h.aws.liveInstances());
        FakeEc2.Inst inst = eu.instance(r.buildInstance());
        assertTrue(inst.state.equals("terminated") || inst.state.equals("shutting-down"), inst.state);
        assertEquals(Tags.ROLE_BUILD_INSTANCE, inst.tags.get(Tags.ROLE));
        assertEquals(r.buildId(), inst.tags.get(Tags.BUILD_ID));
        assertEquals("42", inst.tags.get("cost-centre"));
        assertEquals(start.plus(Duration.ofMinutes(90)).toString(), inst.tags.get(Tags.EXPIRES),
                "expires = start + timeout (60 min) + 30 min for cleanups");
        assertEquals(HttpTokensState.REQUIRED, inst.request.metadataOptions().httpTokens(), "IMDSv2 by default");
        assertEquals(ShutdownBehavior.STOP, inst.request.instanceInitiatedShutdownBehavior());
        String userData = new String(Base64.getDecoder().decode(inst.request.userData()), StandardCharsets.UTF_8);
        assertTrue(userData.contains("dnf install -y nginx"), "the user's script is inside the wrapper");
        assertTrue(userData.contains("AMIFACTORY:" + r.buildId() + ":EXIT:"), userData);

        String log = h.log();
        assertTrue(log.contains("| nginx installed"), "console lines are streamed\n" + log);
        assertFalse(log.contains("s3cr3t-token"), "user data never reaches progress\n" + log);
        assertFalse(log.contains("dnf install"), "user data never reaches progress\n" + log);
        assertTrue(log.contains("[web 00:00 launch] launched"), log);
        assertEquals(BuildRecord.State.FINISHED, h.savedRecord().state());
        assertFalse(h.saved.contains("s3cr3t-token"), "nor the saved record");
    }
}
