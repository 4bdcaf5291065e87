package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A call that creates something is carried out, and its reply is lost (the connection dropped on the way
 * back). The build must not make a second one, nor fail because the first exists: it finds what the lost
 * attempt made, even while EC2 does not list the new image under its tag yet.
 */
class LostRepliesTest {
    private static final BuildSpec SPEC = Harness.spec(Harness.FULL);

    @Test
    void aLostCreateImageReplyIsReadFromTheDuplicateNameNotFailedOrRepeated() {
        Harness h = new Harness();
        h.aws.faults.loseReply("createImage");
        // the search before the first attempt and the one after the lost reply both list nothing yet
        h.aws.tagFilterMisses = 2;
        BuildResult r = h.run(SPEC);

        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(2, h.aws.madeImages().size(), "the image and its copy, no second image: " + h.log());
        assertTrue(h.log().contains("created by an earlier attempt whose reply was lost"), h.log());
        assertEquals(List.of(), h.aws.liveInstances());
    }

    @Test
    void aLostCopyImageReplyIsFoundByItsNameWhenItsTagIsNotListedYet() {
        Harness h = new Harness();
        h.aws.faults.loseReply("copyImage");
        BuildMachine m = h.machine(SPEC);
        Harness.stepUntil(m, h.clock, rec -> "copy".equals(rec.currentPhase()));
        h.aws.tagFilterMisses = 2; // the searches by tag before the copy and after the lost reply
        BuildResult r = BuildDriver.run(m, h.clock.sleeper());

        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(2, h.aws.madeImages().size(), h.log());
        assertTrue(h.log().contains("found copy " + r.images().get("us-east-1")), h.log());
    }

    @Test
    void aLostRunInstancesReplyLaunchesOnce() {
        Harness h = new Harness();
        h.aws.faults.loseReply("runInstances");
        BuildResult r = h.run(SPEC);

        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.launchedInstances(), h.log());
        assertTrue(h.log().contains("launched by an earlier attempt of this build"), h.log());
    }

    @Test
    void aCopyMadeJustBeforeACrashIsRemovedByItsNameWhenEc2DoesNotListItUnderItsTag() {
        Harness h = new Harness();
        h.aws.faults.crashAfter("copyImage");
        assertThrows(Faults.SimulatedCrash.class, () -> h.run(SPEC));
        h.aws.tagFilterMisses = Integer.MAX_VALUE;
        BuildResult r = BuildDriver.run(BuildMachine.forCleanup(h.savedRecord(), h.services(), h.progress, h.clock,
                "--abort"), h.clock.sleeper());

        assertEquals(BuildStatus.ABORTED, r.status(), h.log());
        h.assertNothingLeft();
    }

    @Test
    void aLostSendCommandReplyRunsTheCustomisationOnce() {
        Harness h = new Harness();
        h.aws.faults.loseReply("sendCommand");
        BuildResult r = h.run(SsmAndAutomationBuildTest.SSM);

        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.fakeSsm("eu-west-1").commands.size(), "the script ran once: " + h.log());
        assertTrue(h.log().contains("sent by an earlier attempt"), h.log());
        assertEquals(List.of(), h.aws.liveInstances());
    }
}
