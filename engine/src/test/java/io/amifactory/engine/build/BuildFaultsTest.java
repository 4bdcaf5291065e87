package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults at every point of a full build (user data, copy, share, publish, deprecate): each AWS call in turn
 * fails, is throttled, or is the last thing the process does before it dies; and the build is aborted after
 * each step in turn. Whatever happens, no instance is left and a build that did not succeed leaves no image
 * or snapshot.
 */
class BuildFaultsTest {
    private static final BuildSpec SPEC = Harness.spec(Harness.FULL);

    static IntStream everyCall() {
        Harness h = new Harness();
        h.run(SPEC);
        return IntStream.rangeClosed(1, h.aws.callCount());
    }

    static IntStream everyStep() {
        Harness h = new Harness();
        BuildMachine m = h.machine(SPEC);
        int steps = 0;
        Step s;
        while (!(s = m.step()).isDone()) {
            steps++;
            h.clock.advance(s.pollAfter());
        }
        return IntStream.rangeClosed(0, steps);
    }

    @ParameterizedTest(name = "error at call {0}")
    @MethodSource("everyCall")
    void anErrorAtAnyCallFailsTheBuildTidily(int call) {
        Harness h = new Harness();
        h.aws.faults.errorAtCall(call, "UnauthorizedOperation");
        BuildResult r = h.run(SPEC);
        assertEquals(List.of(), h.aws.liveInstances(), h.log());
        assertEquals(List.of(), r.leftovers(), h.log());
        if (r.status() == BuildStatus.SUCCEEDED) {
            // The error hit a cleanup after the image was made; cleanups retry, the build stands.
            assertEquals(2, r.images().size());
            assertTrue(h.lines.stream().anyMatch(l -> l.contains("UnauthorizedOperation")), h.log());
        } else {
            assertEquals(BuildStatus.FAILED, r.status(), h.log());
            assertTrue(r.error().contains("UnauthorizedOperation"), r.error());
            assertNotNull(r.failedPhase());
            h.assertNothingLeft();
        }
    }

    @ParameterizedTest(name = "throttled at call {0}")
    @MethodSource("everyCall")
    void throttlingAtAnyCallIsRiddenOut(int call) {
        Harness h = new Harness();
        h.aws.faults.throttleAtCall(call);
        BuildResult r = h.run(SPEC);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.launchedInstances());
        assertEquals(2, h.aws.madeImages().size());
        assertEquals(List.of(), h.aws.liveInstances());
    }

    @ParameterizedTest(name = "crash after call {0}")
    @MethodSource("everyCall")
    void aCrashAfterAnyCallIsResumedWithoutDuplicates(int call) {
        Harness h = new Harness();
        h.aws.faults.crashAfterCall(call);
        BuildResult r;
        try {
            r = BuildDriver.run(h.machine(SPEC), h.clock.sleeper());
        } catch (Faults.SimulatedCrash crash) {
            // A new process picks up the record the dead one left behind.
            BuildRecord left = h.savedRecord();
            r = BuildDriver.run(new BuildMachine(SPEC, left, h.services(), h.progress, h.clock), h.clock.sleeper());
        }
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.launchedInstances(), "one build instance, whenever the process died\n" + h.log());
        assertEquals(2, h.aws.madeImages().size(), "one image per region, no duplicates\n" + h.log());
        assertEquals(2, h.aws.madeSnapshots().size(), h.log());
        assertEquals(List.of(), h.aws.liveInstances());
    }

    @ParameterizedTest(name = "crash after call {0}, then clean up without the spec")
    @MethodSource("everyCall")
    void aCrashedBuildCanBeCleanedUpFromItsRecordAlone(int call) {
        Harness h = new Harness();
        h.aws.faults.crashAfterCall(call);
        try {
            BuildDriver.run(h.machine(SPEC), h.clock.sleeper());
            return; // the crash hit after the build was complete
        } catch (Faults.SimulatedCrash crash) {
            // fall through
        }
        BuildRecord left = h.savedRecord();
        BuildResult r = BuildDriver.run(BuildMachine.forCleanup(left, h.services(), h.progress, h.clock, "spec gone"),
                h.clock.sleeper());
        assertEquals(List.of(), h.aws.liveInstances(), h.log());
        if (r.status() != BuildStatus.SUCCEEDED) {
            assertEquals(BuildStatus.ABORTED, r.status(), h.log());
            h.assertNothingLeft();
        }
    }

    @ParameterizedTest(name = "abort after step {0}")
    @MethodSource("everyStep")
    void anAbortAfterAnyStepCleansUp(int steps) {
        Harness h = new Harness();
        BuildMachine m = h.machine(SPEC);
        for (int i = 0; i < steps; i++) {
            Step s = m.step();
            if (s.isDone()) {
                break;
            }
            h.clock.advance(s.pollAfter());
        }
        m.abort("stopped by the test");
        BuildResult r = BuildDriver.run(m, h.clock.sleeper());
        assertEquals(List.of(), h.aws.liveInstances(), h.log());
        if (r.status() == BuildStatus.SUCCEEDED) {
            assertEquals(2, r.images().size(), "an abort after the image is complete changes nothing");
        } else {
            assertEquals(BuildStatus.ABORTED, r.status(), h.log());
            assertEquals("aborted: stopped by the test", r.error());
            h.assertNothingLeft();
        }
    }
}
