package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.testkit.FakeErrors;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An interrupt of the thread stepping a build (Jenkins shutting down mid-tick) means "stop here, resume later":
 * the step throws {@link BuildInterruptedException}, counts no error, saves nothing, undoes nothing — and a new
 * machine over the saved record finishes the build with one instance and one image. Each case is run with the
 * two ways an interrupt reaches the engine: the SDK's AbortedException (flag set), and an SdkClientException
 * caused by an InterruptedException (flag cleared by whoever caught it).
 */
class BuildInterruptsTest {
    private static final BuildSpec SPEC = Harness.spec("""
            name: web
            imageName: "web-{timestamp}"
            source: ami-0a1b2c3d4e5f60718
            userData: |
              #!/bin/bash
              dnf install -y nginx
            """);

    /** How the interrupt reaches the engine. */
    enum Interrupt {
        ABORTED(FakeErrors::interrupted),
        INTERRUPTED_CAUSE(Faults::interruptedCause);

        final Supplier<RuntimeException> error;

        Interrupt(Supplier<RuntimeException> error) {
            this.error = error;
        }
    }

    private final Harness h = new Harness();
    /** The saved record and the number of calls answered at the moment of the interrupt. */
    private final AtomicReference<String> savedAtInterrupt = new AtomicReference<>();
    private final AtomicInteger callsAtInterrupt = new AtomicInteger(-1);

    @AfterEach
    void clearTheFlag() {
        Thread.interrupted(); // never hand an interrupted thread to the next test
    }

    private Supplier<RuntimeException> noting(Interrupt how) {
        return () -> {
            savedAtInterrupt.set(h.saved);
            callsAtInterrupt.set(h.aws.callCount());
            return how.error.get();
        };
    }

    /** Steps until {@code until}, then arms the interrupt, and steps until the machine throws. */
    private BuildInterruptedException interruptedWhen(BuildMachine m, Predicate<BuildRecord> until, Runnable arm) {
        Harness.stepUntil(m, h.clock, until);
        arm.run();
        for (int i = 0; i < 1000; i++) {
            Step s;
            try {
                s = m.step();
            } catch (BuildInterruptedException e) {
                return e;
            }
            assertFalse(s.isDone(), "the build ended without meeting the interrupt: " + s + "\n" + h.log());
            h.clock.advance(s.pollAfter());
        }
        throw new AssertionError("the interrupt never came");
    }

    /** What every interrupted step must leave: the flag set, nothing saved or called after it, no error counted. */
    private void assertStoppedHere(BuildInterruptedException e, String phase, boolean cleaningUp) {
        assertTrue(Thread.interrupted(), "the thread's interrupt flag is set again for the caller");
        assertNotNull(savedAtInterrupt.get(), "the interrupt came after the build was first saved");
        assertEquals(savedAtInterrupt.get(), h.saved, "nothing saved after the interrupt");
        assertEquals(callsAtInterrupt.get(), h.aws.callCount(), "no AWS call after the interrupt");
        assertEquals(phase, e.phase());
        assertEquals(cleaningUp, e.cleaningUp());
        assertTrue(e.getMessage().contains("build web (" + e.buildId() + ") was interrupted"), e.getMessage());
        assertTrue(e.getMessage().contains("phase " + phase), e.getMessage());
        BuildRecord saved = h.savedRecord();
        assertEquals(0, saved.errorsInARow, "an interrupt is not an error");
        assertFalse(saved.outcome() == BuildStatus.FAILED, "an interrupt fails nothing");
        assertFalse(String.valueOf(saved.error()).contains("nterrupt"), saved.error());
        assertTrue(h.log().contains("interrupted"), h.log());
        assertFalse(h.log().contains("FAILED"), h.log());
    }

    /** A new machine over the saved record, as after a controller restart, runs the build to the end. */
    private BuildResult resumed() {
        return BuildDriver.run(new BuildMachine(SPEC, h.savedRecord(), h.services(), h.progress, h.clock),
                h.clock.sleeper());
    }

    private void assertOneInstanceAndOneImage(BuildResult r) {
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.launchedInstances(), "one build instance, never a second\n" + h.log());
        assertEquals(1, h.aws.madeImages().size(), "one image, never a second\n" + h.log());
        assertEquals(List.of(), h.aws.liveInstances(), h.log());
    }

    // ---- a creating phase

    @ParameterizedTest
    @EnumSource(Interrupt.class)
    void anInterruptedLaunchStopsWithoutFailingAndTheResumedBuildLaunchesOnce(Interrupt how) {
        BuildMachine m = h.machine(SPEC);
        BuildInterruptedException e = interruptedWhen(m, r -> "launch".equals(r.currentPhase()),
                () -> h.aws.faults.interrupt("runInstances", noting(how)));

        assertStoppedHere(e, "launch", false);
        assertEquals(BuildRecord.State.RUNNING, h.savedRecord().state());
        assertEquals("launch", h.savedRecord().currentPhase());
        assertEquals(0L, h.aws.calls.count("terminateInstances"), h.log());

        assertOneInstanceAndOneImage(resumed());
    }

    @ParameterizedTest
    @EnumSource(Interrupt.class)
    void anInterruptAfterCreateImageTookEffectLeavesTheImageAndTheResumedBuildImagesOnce(Interrupt how) {
        BuildMachine m = h.machine(SPEC);
        BuildInterruptedException e = interruptedWhen(m, r -> "create-image".equals(r.currentPhase()),
                () -> h.aws.faults.interruptAfter("createImage", noting(how)));

        assertStoppedHere(e, "create-image", false);
        assertEquals(1, h.aws.madeImages().size(), "the image the interrupted call made is still there");
        assertEquals(0L, h.aws.calls.count("deregisterImage"), h.log());
        assertEquals(0L, h.aws.calls.count("terminateInstances"), h.log());
        assertEquals(1, h.aws.fakeEc2(Harness.REGION).liveInstances().size(), "the instance waits for the resume");

        assertOneInstanceAndOneImage(resumed());
    }

    // ---- waiting phases

    @ParameterizedTest
    @EnumSource(Interrupt.class)
    void anInterruptWhileWaitingForTheCustomisationKeepsTheInstance(Interrupt how) {
        BuildMachine m = h.machine(SPEC);
        BuildInterruptedException e = interruptedWhen(m, r -> "customise".equals(r.currentPhase()) && r.polls > 2,
                () -> h.aws.faults.interrupt("describeInstances", noting(how)));

        assertStoppedHere(e, "customise", false);
        assertEquals(0L, h.aws.calls.count("terminateInstances"), h.log());
        assertEquals(1, h.aws.liveInstances().size(), h.log());

        assertOneInstanceAndOneImage(resumed());
    }

    @ParameterizedTest
    @EnumSource(Interrupt.class)
    void anInterruptWhileWaitingForTheImageKeepsIt(Interrupt how) {
        BuildMachine m = h.machine(SPEC);
        BuildInterruptedException e = interruptedWhen(m, r -> "wait-image".equals(r.currentPhase()) && r.polls > 0,
                () -> h.aws.faults.interrupt("describeImages", noting(how)));

        assertStoppedHere(e, "wait-image", false);
        assertEquals(0L, h.aws.calls.count("deregisterImage"), h.log());
        assertEquals(0L, h.aws.calls.count("terminateInstances"), h.log());

        assertOneInstanceAndOneImage(resumed());
    }

    // ---- cleanups

    @ParameterizedTest
    @EnumSource(Interrupt.class)
    void anInterruptWhileTerminatingTheInstanceOfASucceededBuildIsResumedToTheEnd(Interrupt how) {
        BuildMachine m = h.machine(SPEC);
        BuildInterruptedException e = interruptedWhen(m,
                r -> r.state() == BuildRecord.State.UNWINDING && "launch".equals(r.currentPhase()),
                () -> h.aws.faults.interrupt("terminateInstances", noting(how)));

        assertStoppedHere(e, "launch", true);
        assertEquals(BuildRecord.State.UNWINDING, h.savedRecord().state());
        assertEquals(1, h.aws.liveInstances().size(), "nothing was terminated: " + h.log());

        assertOneInstanceAndOneImage(resumed());
    }

    @ParameterizedTest
    @EnumSource(Interrupt.class)
    void anInterruptWhileAnAbortedBuildRemovesItsImageLeavesTheImageForTheResumedCleanup(Interrupt how) {
        BuildMachine m = h.machine(SPEC);
        Harness.stepUntil(m, h.clock, r -> "tag".equals(r.currentPhase()));
        m.abort("stopped by the test");
        BuildInterruptedException e = interruptedWhen(m,
                r -> r.state() == BuildRecord.State.UNWINDING && "create-image".equals(r.currentPhase()),
                () -> h.aws.faults.interrupt("deregisterImage", noting(how)));

        assertStoppedHere(e, "create-image", true);
        assertEquals(1, h.aws.madeImages().size(), "nothing was deregistered: " + h.log());
        assertEquals(0L, h.aws.calls.count("terminateInstances"), "the launch's cleanup is still to come");

        BuildResult r = resumed();
        assertEquals(BuildStatus.ABORTED, r.status(), h.log());
        assertEquals("aborted: stopped by the test", r.error());
        assertEquals(List.of(), r.leftovers(), h.log());
        assertEquals(1, h.aws.launchedInstances());
        h.assertNothingLeft();
    }

    // ---- the same machine, and the loops around it

    @Test
    void theSameMachineSteppedAgainAfterAnInterruptCarriesOnFromTheSavedRecord() {
        BuildMachine m = h.machine(SPEC);
        interruptedWhen(m, r -> "create-image".equals(r.currentPhase()),
                () -> h.aws.faults.interruptAfter("createImage", noting(Interrupt.ABORTED)));
        assertTrue(Thread.interrupted());
        assertEquals(h.savedRecord().toJson(), m.record().toJson(), "the machine went back to the saved record");

        assertOneInstanceAndOneImage(BuildDriver.run(m, h.clock.sleeper()));
    }

    @Test
    void aStepCalledOnAnInterruptedThreadDoesNothing() {
        BuildMachine m = h.machine(SPEC);
        Harness.stepUntil(m, h.clock, r -> "customise".equals(r.currentPhase()));
        String saved = h.saved;
        int calls = h.aws.callCount();
        Thread.currentThread().interrupt();

        BuildInterruptedException e = assertThrows(BuildInterruptedException.class, m::step);
        assertTrue(Thread.interrupted());
        assertEquals("customise", e.phase());
        assertEquals(saved, h.saved);
        assertEquals(calls, h.aws.callCount());
    }

    @Test
    void aBuildWhosePollIsInterruptedDoesNotPassTheInterruptToABuildSharingThePoll() {
        BuildMachine interrupted = h.machine(SPEC);
        BuildMachine other = h.machine(SPEC);
        Harness.stepUntil(interrupted, h.clock, r -> "customise".equals(r.currentPhase()) && r.polls > 2);
        Harness.stepUntil(other, h.clock, r -> "customise".equals(r.currentPhase()) && r.polls > 2);
        h.clock.advance(SharedPolls.untilNextTick(h.clock.instant()));
        h.aws.faults.interrupt("describeInstances", FakeErrors::interrupted);

        assertThrows(BuildInterruptedException.class, interrupted::step, "its read of the tick was interrupted");
        assertTrue(Thread.interrupted());
        Step s = other.step(); // same tick: it must read for itself, not take the other's interrupt as its answer
        assertFalse(s.isDone());
        assertEquals(0, other.record().errorsInARow);
    }

    @Test
    void theDriverAbortsABuildInterruptedInsideAStepAndCleansUpWithTheInterruptCleared() {
        BuildMachine m = h.machine(SPEC);
        Harness.stepUntil(m, h.clock, r -> "customise".equals(r.currentPhase()) && r.polls > 2);
        h.aws.faults.interrupt("describeInstances", FakeErrors::interrupted);

        BuildResult r = BuildDriver.run(m, h.clock.sleeper());

        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(BuildStatus.ABORTED, r.status(), h.log());
        assertEquals("aborted: interrupted", r.error());
        assertEquals(List.of(), r.leftovers(), h.log());
        h.assertNothingLeft();
    }
}
