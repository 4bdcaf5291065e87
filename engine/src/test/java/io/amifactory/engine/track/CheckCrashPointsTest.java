package io.amifactory.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.amifactory.engine.testkit.FakeClients;
import io.amifactory.engine.testkit.FakeSsm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Kills the check-and-deliver loop (what {@code amifactory check} does: check, hand the events out,
 * acknowledge each) at every step where something is persisted or handed out — while resolving, before
 * and after every state-file replace, after the events are handed out — then runs it again as a new
 * process would (new Ledger and Tracker over the same file). No release may be lost, none detected twice,
 * and an event acknowledged before the crash is never handed out again. Events handed out but not yet
 * acknowledged when the process died are handed out once more, with the same id (at-least-once delivery:
 * consumers deduplicate by id).
 */
class CheckCrashPointsTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    @TempDir
    Path dir;

    /** The process dies here. An Error, so that nothing on the way up mistakes it for an AWS failure. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    /** Counts the steps of a run and dies at step {@code crashAt} (never when negative). */
    static final class Steps {
        final int crashAt;
        final AtomicInteger step = new AtomicInteger();
        final List<String> names = new ArrayList<>();

        Steps(int crashAt) {
            this.crashAt = crashAt;
        }

        void at(String name) {
            int n = step.getAndIncrement();
            synchronized (names) {
                names.add(name);
            }
            if (n == crashAt) {
                throw new SimulatedCrash("at step " + n + ": " + name);
            }
        }
    }

    /** Upstream: a parameter image and a filter image in two regions; release 1, then release 2. */
    private static FakeClients upstream(Steps steps, int release) {
        FakeClients aws = new FakeClients() {
            @Override
            public SsmClient ssm(String region) {
                steps.at("resolving " + region);
                return super.ssm(region);
            }
        };
        for (String region : REGIONS) {
            FakeSsm ssm = aws.ssmFake(region);
            for (int r = 1; r <= release; r++) {
                aws.ec2Fake(region).image("ami-0000000" + r, "os-" + r, "2026-0" + r + "-01T00:00:00.000Z", "amazon");
                aws.ec2Fake(region).image("ami-f000000" + r, "fam-" + r, "2026-0" + r + "-01T00:00:00.000Z", "amazon");
                ssm.parameter("/up/os", "ami-0000000" + r);
            }
        }
        return aws;
    }

    private static final List<TrackedImage> IMAGES = List.of(
            new TrackedImage("os", new ImageSource.Parameter("/up/os"), List.of()),
            new TrackedImage("fam", new ImageSource.Filters(Map.of("name", List.of("fam-*")), List.of("amazon"), false),
                    List.of()));

    /** What one run did before it ended or died. */
    static final class Run {
        final List<String> delivered = new ArrayList<>();
        final List<CheckResult> results = new ArrayList<>();
        boolean crashed;
    }

    /** One process: check, hand every pending event out, acknowledge each (as CheckCommand does). */
    private Run run(Path state, int release, int crashAt, Steps steps) {
        Run run = new Run();
        Ledger ledger = new Ledger(state, tmp -> steps.at("before replacing the state file"));
        Tracker tracker = new Tracker(upstream(steps, release), ledger, line -> { });
        try {
            CheckReport report = tracker.check(IMAGES, REGIONS);
            run.results.addAll(report.results());
            steps.at("after the check was saved");
            report.events().forEach(e -> run.delivered.add(e.id()));
            steps.at("after the events were handed out");
            for (ReleaseEvent e : report.events()) {
                tracker.acknowledge(e.id());
                steps.at("after acknowledging " + e.id());
            }
        } catch (SimulatedCrash | IllegalStateException e) {
            if (!isCrash(e)) {
                throw e;
            }
            run.crashed = true;
        }
        return run;
    }

    private static boolean isCrash(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SimulatedCrash) {
                return true;
            }
        }
        return false;
    }

    /** The state after release 1 was seen and delivered: the starting point of every crash run. */
    private Path baseline() {
        Path state = dir.resolve("baseline.json");
        Run first = run(state, 1, -1, new Steps(-1));
        assertTrue(first.delivered.isEmpty(), "a baseline fires nothing");
        return state;
    }

    @TestFactory
    Stream<DynamicTest> everyCrashPointOfACheckLosesNothingAndDetectsNothingTwice() throws IOException {
        Path baseline = baseline();
        Steps probe = new Steps(-1);
        Run clean = run(copy(baseline, "probe.json"), 2, -1, probe);
        Set<String> expected = new LinkedHashSet<>(clean.delivered);
        assertEquals(Set.of("os/us-east-1/ami-00000002", "os/eu-west-1/ami-00000002",
                "fam/us-east-1/ami-f0000002", "fam/eu-west-1/ami-f0000002"), expected);
        int points = probe.step.get();
        assertTrue(points >= 2 + 1 + 2 + 2 * expected.size(), "steps of a run: " + probe.names);

        return IntStream.range(0, points).mapToObj(i -> DynamicTest.dynamicTest(
                "crash at step " + i + ": " + probe.names.get(i), () -> crashAndRerun(baseline, i, expected)));
    }

    private void crashAndRerun(Path baseline, int crashAt, Set<String> expected) throws IOException {
        Path state = copy(baseline, "state-" + crashAt + ".json");
        Run crashed = run(state, 2, crashAt, new Steps(crashAt));
        assertTrue(crashed.crashed, "the run was meant to die at step " + crashAt);
        Set<String> pendingAfterCrash = new HashSet<>();
        new Ledger(state).pendingEvents().forEach(e -> pendingAfterCrash.add(e.id()));
        Set<String> acknowledgedBeforeCrash = new HashSet<>(crashed.delivered);
        acknowledgedBeforeCrash.removeAll(pendingAfterCrash);

        Run rerun = run(state, 2, -1, new Steps(-1));
        assertTrue(!rerun.crashed);
        Run after = run(state, 2, -1, new Steps(-1));

        Set<String> delivered = new HashSet<>(crashed.delivered);
        delivered.addAll(rerun.delivered);
        assertEquals(expected, delivered, "every release is handed out");
        for (String id : rerun.delivered) {
            if (acknowledgedBeforeCrash.contains(id)) {
                fail(id + " was acknowledged before the crash and handed out again");
            }
        }
        assertEquals(new HashSet<>(rerun.delivered).size(), rerun.delivered.size(), "no duplicates within a run");
        for (String pair : List.of("os@us-east-1", "os@eu-west-1", "fam@us-east-1", "fam@eu-west-1")) {
            long detections = Stream.concat(crashed.results.stream(), rerun.results.stream())
                    .filter(r -> (r.image() + "@" + r.region()).equals(pair) && r.status() == CheckStatus.NEW).count();
            assertEquals(1, detections, pair + " is detected as new exactly once");
        }
        assertTrue(after.delivered.isEmpty(), "nothing is handed out a third time: " + after.delivered);
        assertTrue(after.results.stream().allMatch(r -> r.status() == CheckStatus.UNCHANGED), after.results.toString());
        assertTrue(new Ledger(state).pendingEvents().isEmpty());
    }

    private Path copy(Path from, String name) throws IOException {
        return Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
