package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import io.amifactory.engine.build.spec.BuildSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SSM Run Command and SSM Automation customisations, which Moto does not emulate. */
class SsmAndAutomationBuildTest {
    static final String SSM = """
            name: app
            imageName: "app-{date}-{buildId}"
            source: ami-0a1b2c3d4e5f60718
            ssmCommand:
              commands:
                - dnf install -y app
                - systemctl enable app
            instance:
              profile: amifactory-build
            copies: [us-east-1]
            """;

    static final String AUTOMATION = """
            name: patched
            imageName: "patched-{timestamp}"
            source: ami-0a1b2c3d4e5f60718
            automationDocument: AWS-UpdateLinuxAmi
            bootstrapUrl: https://example.com/bootstrap.sh
            automation:
              assumeRole: arn:aws:iam::111122223333:role/automation
              parameters:
                IncludePackages: all
            instance:
              profile: ssm-managed
            copies: [us-east-1]
            """;

    static Harness automationHarness() {
        Harness h = new Harness();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("SourceAmiId", null);
        params.put("IamInstanceProfileName", null);
        params.put("AutomationAssumeRole", null);
        params.put("TargetAmiName", "UpdateLinuxAmi_from_{{SourceAmiId}}_on_{{global:DATE_TIME}}");
        params.put("InstanceType", "t3.medium");
        params.put("PreUpdateScript", "none");
        params.put("IncludePackages", "all");
        h.aws.fakeSsm("eu-west-1").addDocument("AWS-UpdateLinuxAmi", params);
        return h;
    }

    // ---- Run Command

    @Test
    void anSsmCommandBuildRunsTheScriptStreamsItsOutputAndStopsTheInstanceBeforeImaging() {
        Harness h = new Harness();
        BuildResult r = h.run(SSM);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(2, r.images().size());
        FakeSsm.Cmd cmd = h.aws.fakeSsm("eu-west-1").commands.values().iterator().next();
        assertEquals("AWS-RunShellScript", cmd.document);
        assertEquals(List.of("dnf install -y app", "systemctl enable app"), cmd.parameters.get("commands"));
        assertTrue(Integer.parseInt(cmd.parameters.get("executionTimeout").get(0)) <= 3600);
        assertEquals("amifactory build " + r.buildId(), cmd.comment);
        assertEquals(1, h.aws.calls.count("stopInstances"), "stopped before CreateImage");
        assertTrue(h.aws.calls.calls().indexOf("stopInstances") < h.aws.calls.calls().indexOf("createImage"));
        FakeEc2.Inst inst = h.aws.fakeEc2("eu-west-1").instance(r.buildInstance());
        assertNull(inst.request.userData(), "no user data on an SSM build");
        assertEquals("amifactory-build", inst.request.iamInstanceProfile().name());
        String log = h.log();
        assertTrue(log.contains("| installing packages") && log.contains("| customisation done"), log);
        assertTrue(log.contains("the SSM agent on " + r.buildInstance() + " is online"), log);
        assertEquals(List.of(), h.aws.liveInstances());
    }

    @Test
    void aFailingSsmCommandFailsTheBuildAndLeavesNothing() {
        Harness h = new Harness();
        h.aws.commandStatus = "Failed";
        BuildResult r = h.run(SSM);
        assertEquals(BuildStatus.FAILED, r.status());
        assertEquals("run-command", r.failedPhase());
        assertTrue(r.error().contains("Failed") && r.error().contains("exit status 2"), r.error());
        assertTrue(h.log().contains("| stderr: error: step failed"), h.log());
        assertEquals(0, h.aws.calls.count("createImage"));
        h.assertNothingLeft();
    }

    static IntStream ssmCalls() {
        Harness h = new Harness();
        h.run(SSM);
        return IntStream.rangeClosed(1, h.aws.callCount());
    }

    @ParameterizedTest(name = "ssm: error at call {0}")
    @MethodSource("ssmCalls")
    void anSsmBuildFailingAtAnyCallLeavesNothing(int call) {
        Harness h = new Harness();
        h.aws.faults.errorAtCall(call, "AccessDeniedException");
        BuildResult r = h.run(SSM);
        assertEquals(List.of(), h.aws.liveInstances(), h.log());
        if (r.status() != BuildStatus.SUCCEEDED) {
            h.assertNothingLeft();
        }
    }

    @ParameterizedTest(name = "ssm: crash after call {0}")
    @MethodSource("ssmCalls")
    void anSsmBuildResumedAfterACrashSendsTheCommandOnce(int call) {
        Harness h = new Harness();
        BuildSpec spec = Harness.spec(SSM);
        h.aws.faults.crashAfterCall(call);
        BuildResult r;
        try {
            r = BuildDriver.run(h.machine(spec), h.clock.sleeper());
        } catch (Faults.SimulatedCrash crash) {
            r = BuildDriver.run(new BuildMachine(spec, h.savedRecord(), h.services(), h.progress, h.clock), h.clock.sleeper());
        }
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        assertEquals(1, h.aws.calls.count("sendCommand"), "the script runs once\n" + h.log());
        assertEquals(1, h.aws.launchedInstances());
        assertEquals(List.of(), h.aws.liveInstances());
    }

    @Test
    void anSsmBuildAbortedWhileTheCommandRunsCancelsItAndCleansUp() {
        Harness h = new Harness();
        BuildMachine m = h.machine(Harness.spec(SSM));
        Harness.stepUntil(m, h.clock, rec -> rec.toJson().contains("\"commandId\""));
        m.abort("Ctrl-C");
        BuildResult r = BuildDriver.run(m, h.clock.sleeper());
        assertEquals(BuildStatus.ABORTED, r.status());
        assertEquals(1, h.aws.calls.count("cancelCommand"));
        h.assertNothingLeft();
    }

    // ---- Automation

    @Test
    void anAutomationBuildFillsTheDocumentsParametersAndAdoptsItsImage() {
        Harness h = automationHarness();
        BuildResult r = h.run(AUTOMATION);
        assertEquals(BuildStatus.SUCCEEDED, r.status(), h.log());
        FakeSsm ssm = h.aws.fakeSsm("eu-west-1");
        FakeSsm.Exec exec = ssm.executions.values().iterator().next();
        Map<String, List<String>> p = exec.parameters;
        assertEquals(List.of(Harness.SOURCE), p.get("SourceAmiId"));
        assertEquals(List.of(r.imageName()), p.get("TargetAmiName"));
        assertEquals(List.of("arn:aws:iam::111122223333:role/automation"), p.get("AutomationAssumeRole"));
        assertEquals(List.of("https://example.com/bootstrap.sh"), p.get("PreUpdateScript"), "seed 001's bootstrapUrl");
        assertEquals(List.of("ssm-managed"), p.get("IamInstanceProfileName"));
        assertEquals(List.of("all"), p.get("IncludePackages"));
        assertFalse(p.containsKey("InstanceType"), "the document's default is kept when the spec sets no type");
        assertEquals(0, h.aws.calls.count("runInstances"), "the document launches its own instance");

        FakeEc2.Img image = h.aws.fakeEc2("eu-west-1").image(r.images().get("eu-west-1"));
        assertEquals(r.buildId(), image.tags.get(Tags.BUILD_ID), "the document's image is tagged as ours");
        assertEquals(Harness.SOURCE, image.tags.get(Tags.SOURCE_IMAGE));
        assertEquals(r.buildId(), h.aws.fakeEc2("eu-west-1").snapshots.get(image.snapshotIds.get(0)).tags.get(Tags.BUILD_ID));
        assertTrue(h.aws.fakeEc2("us-east-1").image(r.images().get("us-east-1")) != null, "and copied");
        assertTrue(h.log().contains("step CreateImage (aws:createImage): Success"), h.log());
    }

    @Test
    void aFailedAutomationHasTheImageItMadeRemoved() {
        Harness h = automationHarness();
        h.aws.automationStatus = "Failed";
        BuildResult r = h.run(AUTOMATION);
        assertEquals(BuildStatus.FAILED, r.status());
        assertEquals("automation", r.failedPhase());
        assertTrue(r.error().contains("Step fails"), r.error());
        assertEquals(1, h.aws.calls.count("deregisterImage"), h.log());
        h.assertNothingLeft();
    }

    @Test
    void anAbortedAutomationIsCancelledAndWhateverItMadeIsRemoved() {
        Harness h = automationHarness();
        BuildMachine m = h.machine(Harness.spec(AUTOMATION));
        // run past the document's createImage step (half-way), then abort
        Harness.stepUntil(m, h.clock, rec -> !h.clock.instant().isBefore(
                rec.startedAt().plus(h.aws.automationTime.multipliedBy(3).dividedBy(4))));
        m.abort("Ctrl-C");
        BuildResult r = BuildDriver.run(m, h.clock.sleeper());
        assertEquals(BuildStatus.ABORTED, r.status());
        assertEquals(1, h.aws.calls.count("stopAutomationExecution"));
        h.assertNothingLeft();
    }

    @Test
    void aDocumentMissingRequiredParametersFailsBeforeAnythingStarts() {
        Harness h = automationHarness();
        BuildResult r = h.run(AUTOMATION.replace("  assumeRole: arn:aws:iam::111122223333:role/automation\n", ""));
        assertEquals(BuildStatus.FAILED, r.status());
        assertEquals("preflight", r.failedPhase());
        assertTrue(r.error().contains("AutomationAssumeRole"), r.error());
        assertEquals(List.of(), h.aws.calls.mutating());
    }

    @Test
    void anUnknownDocumentFailsBeforeAnythingStarts() {
        Harness h = automationHarness();
        BuildResult r = h.run(AUTOMATION.replace("AWS-UpdateLinuxAmi", "DefaultLinuxAmiDocument"));
        assertEquals(BuildStatus.FAILED, r.status());
        assertTrue(r.error().contains("no SSM document named 'DefaultLinuxAmiDocument'"), r.error());
        assertEquals(List.of(), h.aws.calls.mutating());
    }
}
