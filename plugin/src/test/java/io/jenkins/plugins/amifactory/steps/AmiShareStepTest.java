package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/** {@code amiShare} in a sandboxed Pipeline, against Moto. */
@WithJenkins
@WithMoto
class AmiShareStepTest {
    private JenkinsRule j;
    private AwsClients aws;
    private String image;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        MotoJenkins.configure(moto);
        image = aws.ec2(REGION).registerImage(r -> r.name("web-2026-01-01")).imageId();
    }

    private List<String> launchPermissions() {
        return aws.ec2(REGION).describeImageAttribute(r -> r.imageId(image).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::userId).toList();
    }

    private WorkflowJob pipeline(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "share");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void sharesTheImagesOfABuildResultAndReportsThePermissions() throws Exception {
        WorkflowRun run = j.buildAndAssertSuccess(pipeline(
                "def built = [name: 'web', images: ['" + REGION + "': '" + image + "']]\n"
                        + "def report = amiShare(image: built, accounts: ['444455556666'])\n"
                        + "echo \"status=${report.regions[0].status} accounts=${report.regions[0].launchPermissions.accounts}\"\n"));
        assertEquals(List.of("444455556666"), launchPermissions());
        j.assertLogContains("status=changed accounts=[444455556666]", run);
    }

    @Test
    void anInvalidAccountFailsNamingTheFieldAndChangesNothing() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(
                "amiShare(image: '" + image + "', region: '" + REGION + "', accounts: ['111122223333', 'CHANGEME'])"));
        j.assertLogContains("amiShare: accounts[1]:", run);
        assertEquals(List.of(), launchPermissions());
    }

    @Test
    void regionAndRegionsTogetherAreRefused() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(
                "amiShare(name: 'web-*', region: 'us-east-1', regions: ['eu-west-1'], accounts: ['111122223333'])"));
        j.assertLogContains("amiShare: regions: give region or regions, not both", run);
        assertEquals(List.of(), launchPermissions());
    }

    @Test
    void theStepRoundTripsThroughTheSnippetGeneratorAndItsForm() throws Exception {
        AmiShareStep step = new AmiShareStep();
        step.setImage("ami-0123456789abcdef0");
        step.setRegion("eu-west-1");
        step.setAccounts(List.of("111122223333", "444455556666"));
        step.setSnapshots(true);
        new SnippetizerTester(j).assertRoundTrip(step, "amiShare accounts: ['111122223333', '444455556666'], "
                + "image: 'ami-0123456789abcdef0', region: 'eu-west-1', snapshots: true");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        SnippetizerTester.assertDocGeneration(AmiShareStep.class);
    }
}
