package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.build.spec.BuildSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How builds end, one scenario at a time, on a fake clock. */
class BuildOutcomesTest {
    private static final String SIMPLE = """
            name: web
            imageName: "web-{timestamp}"
            source: ami-0a1b2c3d4e5f60718
            userData: |
              #!/bin/bash
              dnf install -y nginx
            """;

    @Test
    void aCustomisationThatNeverEndsTimesOutAfterTheTimeoutAndCleansUp() {
        Harness h = new Harness();
        h.aws.script = FakeAws.Script.NEVER_ENDS;
        Instant start = h.clock.instant();
        BuildResult r = h.run(SIMPLE);
        assertEquals(BuildStatus.TIMED_OUT, r.status(), h.log());
        assertEquals("timed out after 1h in phase customise", r.error());
        Duration took = Duration.between(start, h.clock.instant());
        assertTrue(took.compareTo(Duration.ofMinutes(60)) >= 0 && took.compareTo(Duration.ofMinutes(62)) < 0,
                "noticed at the deadline, not a poll later: " + took);
        h.assertNothingLeft();
        assertEquals(0, h.aws.calls.count("createImage"));
    }

    @Test
    void aNonZeroExitStatusFailsTheBuildAndMakesNoImage() {
        Harness h = new Harness();
        h.aws.exitCode = 3;
        BuildResult r = h.run(SIMPLE);
        assertEquals(BuildStatus.FAILED, r.status());
        assertEquals("customise", r.failedPhase());
        assertTrue(r.error().contains("exit status 3"), r.error());
        assertEquals(0, h.aws.calls.count("createImage"));
        h.assertNothingLeft();
        assertTrue(h.log().contains("| nginx installed"), "the failing script's output is shown");
    }

    @Test
    void anInstanceThatStopsWithoutAMarkerFailsUnlessTheSpecAcceptsIt() {
        Harness h = new Harness();
        h.aws.script = FakeAws.Script.STOPS_WITHOUT_MARKER;
        BuildResult r = h.run(SIMPLE);
        assertEquals(BuildStatus.FAILED, r.status());
        assertTrue(r.error().contains("stopped without reporting an exit status"), r.error());
        assertTrue(r.error().contains("never started"), r.error());
        h.assertNothingLeft();

        Harness accepting = new Harness();
        accepting.aws.script = FakeAws.Script.STOPS_WITHOUT_MARKER;
        BuildResult ok = accepting.run(SIMPLE + "completion: stop\n");
        assertEquals(BuildStatus.SUCCEEDED, ok.status(), accepting.log());
        assertTrue(ok.warnings().stream().anyMatch(w -> w.contains("without reporting an exit status")), ok.warnings().toString());
    }

    @Test
    void aFailedImageIsDeregisteredWithItsSnapshots() {
        Harness h = new Harness();
        h.aws.imageEndState = "failed";
        BuildResult r = h.run(SIMPLE);
        assertEquals(BuildStatus.FAILED, r.status());
        assertEquals("wait-image", r.failedPhase());
        assertEquals(1, h.aws.calls.count("deregisterImage"));
        h.assertNothingLeft();
    }

    @Test
    void aFailureAfterPublishingPutsThePreviousValueBack() {
        Harness h = new Harness();
        h.aws.fakeSsm("eu-west-1").put("/amifactory/web/latest", "ami-0ffffffffffffffff");
        h.aws.faults.alwaysError("addTagsToResource", "AccessDeniedException");
        BuildResult r = h.run(SIMPLE + "copies: [us-east-1]\npublish: /amifactory/{name}/latest\n");
        assertEquals(BuildStatus.FAILED, r.status());
        assertEquals("publish", r.failedPhase());
        assertEquals("ami-0ffffffffffffffff", h.aws.fakeSsm("eu-west-1").parameters.get("/amifactory/web/latest").value,
                "consumers never see the failed build's AMI");
        h.assertNothingLeft();
    }

    @Test
    void aParameterTheBuildCreatedIsDeletedWhenTheBuildFailsLater() {
        Harness h = new Harness();
        h.aws.faults.alwaysError("addTagsToResource", "AccessDeniedException");
        BuildResult r = h.run(SIMPLE + "publish: /amifactory/{name}/latest\n");
        assertEquals(BuildStatus.FAILED, r.status());
        assertFalse(h.aws.fakeSsm("eu-west-1").parameters.containsKey("/amifactory/web/latest"));
    }

    @Test
    void whatCannotBeCleanedUpIsReportedWithIdsAndTheReaperHint() {
        Harness h = new Harness();
        h.aws.faults.alwaysError("terminateInstances", "UnauthorizedOperation");
        BuildMachine m = h.machine(Harness.spec(SIMPLE));
        Harness.stepUntil(m, h.clock, rec -> rec.instanceId() != null);
        m.abort("Ctrl-C");
        BuildResult r = BuildDriver.run(m, h.clock.sleeper());
        assertEquals(BuildStatus.ABORTED, r.status());
        assertEquals(1, r.leftovers().size(), r.leftovers().toString());
        String left = r.leftovers().get(0);
        assertTrue(left.contains(r.buildInstance()) && left.contains("amifactory reap") && left.contains("UnauthorizedOperation"), left);
        assertTrue(h.log().contains("LEFT BEHIND"), h.log());
    }

    @Test
    void waitsFallOnTheSharedFifteenSecondTicksAndNoneIsLonger() {
        Harness h = new Harness();
        BuildMachine m = h.machine(Harness.spec(SIMPLE + "copies: [us-east-1]\n"));
        List<String> offGrid = new ArrayList<>();
        List<Duration> all = new ArrayList<>();
        Step s;
        while (!(s = m.step()).isDone()) {
            String phase = m.record().state() == BuildRecord.State.RUNNING ? m.record().currentPhase() : "cleanup";
            if (!s.pollAfter().isZero()) {
                all.add(s.pollAfter());
                Instant wakes = h.clock.instant().plus(s.pollAfter());
                if (List.of("customise", "stop", "wait-image", "copy").contains(phase) && wakes.getEpochSecond() % 15 != 0) {
                    offGrid.add(phase + " wakes at " + wakes);
                }
            }
            h.clock.advance(s.pollAfter());
        }
        assertEquals(BuildStatus.SUCCEEDED, s.result().status(), h.log());
        assertEquals(List.of(), offGrid, "every wait polls at a tick shared with the other builds");
        assertTrue(all.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(15)) <= 0),
                "everything waited for is seen within 15 s: " + all);
    }

    @Test
    void theRecordSurvivesJsonAndJavaSerialisation() throws Exception {
        Harness h = new Harness();
        BuildMachine m = h.machine(Harness.spec(SIMPLE));
        for (int i = 0; i < 6; i++) {
            h.clock.advance(m.step().pollAfter());
        }
        BuildRecord live = m.record();
        BuildRecord fromJson = BuildRecord.fromJson(live.toJson());
        assertEquals(live.toJson(), fromJson.toJson());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(live);
        }
        BuildRecord fromJava;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            fromJava = (BuildRecord) in.readObject();
        }
        assertEquals(live.toJson(), fromJava.toJson());

        // and a machine over the restored record finishes the build
        BuildResult r = BuildDriver.run(new BuildMachine(Harness.spec(SIMPLE), fromJava, h.services(), h.progress, h.clock),
                h.clock.sleeper());
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.launchedInstances());
    }

    @Test
    void aResumedBuildPastItsDeadlineCleansUp() {
        Harness h = new Harness();
        BuildSpec spec = Harness.spec(SIMPLE);
        BuildMachine m = h.machine(spec);
        Harness.stepUntil(m, h.clock, rec -> rec.instanceId() != null);
        BuildRecord left = m.record(); // the process dies here and is resumed the next day
        h.clock.advance(Duration.ofDays(1));
        BuildResult r = BuildDriver.run(new BuildMachine(spec, left, h.services(), h.progress, h.clock), h.clock.sleeper());
        assertEquals(BuildStatus.TIMED_OUT, r.status());
        h.assertNothingLeft();
    }

    @Test
    void aRecordOfAnotherBuildIsRefused() {
        Harness h = new Harness();
        BuildSpec web = Harness.spec(SIMPLE);
        BuildSpec db = Harness.spec(SIMPLE.replace("name: web", "name: db"));
        BuildRecord record = BuildRecord.start(web, "cli", h.clock);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BuildMachine(db, record, h.services(), h.progress, h.clock));
        assertTrue(e.getMessage().contains("web"), e.getMessage());
    }
}
