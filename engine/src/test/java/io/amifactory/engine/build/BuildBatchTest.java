package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BuildBatchTest {
    private static final String TWO = """
            defaults:
              source: ami-0a1b2c3d4e5f60718
              userData: "#!/bin/bash\\necho hi"
            builds:
              - imageName: "web-{timestamp}"
              - imageName: "db-{timestamp}"
              - imageName: "broken-{timestamp}"
                source: ami-0000000000000dead
            """;

    private static List<BuildSpec> specs() {
        return new io.amifactory.engine.build.spec.BuildSpecReader(Harness.REGION)
                .read(io.amifactory.engine.input.InputNode.parse("spec.yaml", TWO), null);
    }

    @Test
    void oneFailureDoesNotStopTheOthersAndResultsKeepTheirOrder() {
        Harness h = new Harness();
        List<BuildMachine> machines = specs().stream().map(h::machine).toList();
        List<BuildResult> results = new BuildBatch(2, h.clock.sleeper()).run(machines);
        assertEquals(List.of("web", "db", "broken"), results.stream().map(BuildResult::name).toList());
        assertEquals(List.of(BuildStatus.SUCCEEDED, BuildStatus.SUCCEEDED, BuildStatus.FAILED),
                results.stream().map(BuildResult::status).toList(), h.log());
        assertEquals(List.of(), h.aws.liveInstances());
        assertEquals(2, h.aws.madeImages().size());
    }

    @Test
    void aQueuedBuildGetsItsWholeTimeoutFromWhenItStarts() {
        Harness h = new Harness();
        List<BuildMachine> machines = specs().subList(0, 2).stream().map(h::machine).toList();
        // One at a time: the second waits ~35 minutes behind the first, then needs ~35 of its own.
        List<BuildResult> results = new BuildBatch(1, h.clock.sleeper()).run(machines);
        assertEquals(List.of(BuildStatus.SUCCEEDED, BuildStatus.SUCCEEDED),
                results.stream().map(BuildResult::status).toList(), h.log());
    }

    @Test
    void abortAllStopsRunningAndQueuedBuildsAndWaitsForTheirCleanups() throws Exception {
        Harness h = new Harness();
        h.aws.script = FakeAws.Script.NEVER_ENDS;
        List<BuildMachine> machines = specs().stream().map(h::machine).toList();
        WakeableSleeper real = new WakeableSleeper();
        // Real sleeping but a fake clock: builds wait on the sleeper until the abort wakes them.
        BuildBatch batch = new BuildBatch(1, d -> {
            h.clock.advance(d);
            real.sleep(Duration.ofMillis(20));
        });
        CompletableFuture<List<BuildResult>> running = CompletableFuture.supplyAsync(() -> batch.run(machines));
        while (h.aws.launchedInstances() == 0) {
            Thread.sleep(5);
        }
        batch.abortAll("Ctrl-C");
        assertTrue(batch.awaitFinished(Duration.ofSeconds(30)));
        List<BuildResult> results = running.get();
        assertEquals(List.of(BuildStatus.ABORTED, BuildStatus.ABORTED, BuildStatus.ABORTED),
                results.stream().map(BuildResult::status).toList(), h.log());
        assertEquals(1, h.aws.launchedInstances(), "the queued builds never launched");
        h.assertNothingLeft();
    }
}
