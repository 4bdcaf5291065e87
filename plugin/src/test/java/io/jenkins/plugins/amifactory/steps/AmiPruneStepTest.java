package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import hudson.model.Run;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.runners.PruneRunner;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jenkins.util.VirtualFile;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/** {@code amiPrune} in a sandboxed Pipeline, against Moto: the plan is archived before anything changes. */
@WithJenkins
@WithMoto
class AmiPruneStepTest {
    private JenkinsRule j;
    private AwsClients aws;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        MotoJenkins.configure(moto);
        for (int i = 1; i <= 3; i++) {
            String name = "web-" + i;
            String id = aws.ec2(REGION).registerImage(r -> r.name(name)).imageId();
            aws.ec2(REGION).createTags(r -> r.resources(id).tags(Tag.builder().key(Tags.TRACKED_IMAGE).value("web").build()));
            images.add(id);
        }
    }

    private Set<String> remaining() {
        return MotoJenkins.ownImages(aws, REGION).stream().map(Image::imageId).collect(Collectors.toSet());
    }

    private static String plan(Run<?, ?> run) throws Exception {
        VirtualFile file = run.getArtifactManager().root().child(PruneRunner.PLAN_FILE);
        assertTrue(file.exists(), "the plan is archived");
        try (InputStream in = file.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private WorkflowJob pipeline(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "prune");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void aDryRunArchivesThePlanAndChangesNothingThenTheRealRunKeepsTheNewest() throws Exception {
        WorkflowJob p = pipeline("def plan = amiPrune(name: 'web-*', keep: 1, dryRun: true)\n"
                + "echo \"regions=${plan.regions.size()}\"\n");
        WorkflowRun dry = j.buildAndAssertSuccess(p);
        assertEquals(Set.copyOf(images), remaining());
        String dryPlan = plan(dry);
        images.forEach(id -> assertTrue(dryPlan.contains(id), dryPlan));
        j.assertLogContains("dry run, nothing was changed", dry);

        p.setDefinition(new CpsFlowDefinition("def report = amiPrune(name: 'web-*', keep: 1)\n"
                + "echo \"actions=${report.results[0].actions.size()}\"\n", true));
        WorkflowRun real = j.buildAndAssertSuccess(p);
        assertEquals(Set.of(images.get(2)), remaining(), "the newest is kept, the two older ones are deregistered");
        j.assertLogContains("actions=2", real);
        assertTrue(plan(real).contains(images.get(0)));
    }

    @Test
    void anInvalidPolicyFailsNamingTheFieldAndChangesNothing() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline("amiPrune(name: 'web-*', keep: -1)"));
        j.assertLogContains("amiPrune: keep: must be 0 or more", run);
        assertEquals(Set.copyOf(images), remaining());
        assertTrue(!run.getArtifactManager().root().child(PruneRunner.PLAN_FILE).exists(), "no plan was made");
    }

    @Test
    void theStepRoundTripsThroughTheSnippetGeneratorAndItsForm() throws Exception {
        AmiPruneStep step = new AmiPruneStep();
        step.setName("web-*");
        step.setKeep(3);
        step.setMaxAge("30d");
        step.setRegions(List.of("us-east-1", "eu-west-1"));
        new SnippetizerTester(j).assertRoundTrip(step,
                "amiPrune keep: 3, maxAge: '30d', name: 'web-*', regions: ['us-east-1', 'eu-west-1']");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        SnippetizerTester.assertDocGeneration(AmiPruneStep.class);
    }

    @Test
    void thePlanIsArchivedBeforeAnythingIsDeletedEvenWhenTheDeletionsFail(MotoServer moto) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none().inject("ec2:DeregisterImage",
                FaultPlan.Fault.ACCESS_DENIED, 1.0))) {
            AmiFactoryConfiguration.get().setEndpoint(proxy.endpoint().toString());
            WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline("amiPrune(name: 'web-*', keep: 1)"));
            assertEquals(Set.copyOf(images), remaining(), "AWS refused every deletion");
            String archived = plan(run);
            assertTrue(archived.contains(images.get(0)) && archived.contains(images.get(1)), archived);
            assertTrue(proxy.calls("ec2:DeregisterImage").size() >= 2, "the deletions were tried after the plan was kept");
            j.assertLogContains("UnauthorizedOperation", run);
        }
    }
}
