package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;

import hudson.model.Result;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code amiLatest} in a sandboxed Pipeline, against Moto. */
@WithJenkins
@WithMoto
class AmiLatestStepTest {
    private JenkinsRule j;
    private AwsClients aws;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        MotoJenkins.configure(moto);
    }

    @Test
    void returnsTheNewestIdForOneRegionAndAMapForRegions() throws Exception {
        aws.ec2(REGION).registerImage(r -> r.name("app-1"));
        String newest = aws.ec2(REGION).registerImage(r -> r.name("app-2")).imageId();
        WorkflowJob p = j.createProject(WorkflowJob.class, "latest");
        p.setDefinition(new CpsFlowDefinition("def id = amiLatest(name: 'app-*')\n"
                + "def byRegion = amiLatest(name: 'app-*', regions: ['" + REGION + "'])\n"
                + "echo \"latest=${id} map=${byRegion['" + REGION + "']}\"\n", true));
        WorkflowRun run = j.buildAndAssertSuccess(p);
        j.assertLogContains("latest=" + newest + " map=" + newest, run);
    }

    @Test
    void noMatchFailsTheStep() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "latest");
        p.setDefinition(new CpsFlowDefinition("amiLatest(name: 'nothing-*', region: '" + REGION + "')", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("amiLatest: ", run);
        j.assertLogContains(REGION + ": no available image matches", run);
    }

    @Test
    void theStepRoundTripsThroughTheSnippetGeneratorAndItsForm() throws Exception {
        AmiLatestStep step = new AmiLatestStep();
        step.setName("al2023-ami-*");
        step.setOwners(List.of("amazon"));
        step.setRegion("eu-west-1");
        new SnippetizerTester(j).assertRoundTrip(step, "amiLatest name: 'al2023-ami-*', owners: ['amazon'], region: 'eu-west-1'");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        SnippetizerTester.assertDocGeneration(AmiLatestStep.class);
    }
}
