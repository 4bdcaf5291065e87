package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Result;
import hudson.model.TaskListener;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.SsmParameterSource;
import io.jenkins.plugins.amifactory.config.StepDefaults;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import io.jenkins.plugins.amifactory.trigger.AmiReleasePoller;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/** {@code amiBuild} in a sandboxed Pipeline, against Moto. */
@WithJenkins
@WithMoto
class AmiBuildStepTest {
    private static final String SECRET = "user-data-secret-7f3a";

    private JenkinsRule j;
    private AwsClients aws;
    private String source;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        MotoJenkins.configure(moto);
        source = MotoJenkins.amazonLinux(aws);
    }

    private WorkflowJob pipeline(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "bake");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private String buildCall(String extra) {
        return "amiBuild(imageName: 'web-{timestamp}', source: '" + source + "', userData: '#!/bin/bash\\necho " + SECRET
                + "', completion: 'stop'" + extra + ")";
    }

    @Test
    void namedParametersBuildTheImageCopyItAndReturnTheResult() throws Exception {
        WorkflowJob p = pipeline("def built = " + buildCall(", copies: ['us-west-2'], image: [tags: [team: 'platform']]") + "\n"
                + "echo \"status=${built.status} ami=${built.imageId} copy=${built.images['us-west-2']} from=${built.sourceImage}\"\n");
        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        MotoJenkins.finishCustomisation(j, run, aws);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));

        List<Image> east = MotoJenkins.ownImages(aws, REGION);
        List<Image> west = MotoJenkins.ownImages(aws, "us-west-2");
        assertEquals(1, east.size());
        assertEquals(1, west.size());
        j.assertLogContains("status=succeeded ami=" + east.get(0).imageId() + " copy=" + west.get(0).imageId()
                + " from=" + source, run);
        Map<String, String> tags = east.get(0).tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals("bake #1", tags.get(Tags.BUILT_BY));
        assertEquals("platform", tags.get("team"));
        List<Instance> instances = MotoJenkins.buildInstances(aws);
        assertEquals(1, instances.size());
        assertEquals("terminated", instances.get(0).state().nameAsString());
        j.assertLogNotContains(SECRET, run);
    }

    @Test
    void aBuildFromTheAmiATrackedImageWasLastSeenAtIsTaggedAsThatImagesBuild() throws Exception {
        aws.ssm(REGION).putParameter(r -> r.name("/upstream/base").value(source)
                .type(software.amazon.awssdk.services.ssm.model.ParameterType.STRING));
        AmiFactoryConfiguration.get().setTrackedImages(List.of(new TrackedImageConfig("base",
                new SsmParameterSource("/upstream/base"))));
        AmiReleasePoller.get().runCycle(TaskListener.NULL); // what a release hands the job: AMI_ID is this AMI
        WorkflowJob p = pipeline(buildCall(""));
        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        MotoJenkins.finishCustomisation(j, run, aws);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));
        Map<String, String> tags = MotoJenkins.ownImages(aws, REGION).get(0).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals("base", tags.get(Tags.TRACKED_IMAGE), "pruning counts it in the family of base");
    }

    @Test
    void abortingThePipelineRunsTheCleanupsBeforeTheStepEnds() throws Exception {
        WorkflowJob p = pipeline(buildCall(""));
        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("| Linux version", run);
        run.doStop();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));

        List<Instance> instances = MotoJenkins.buildInstances(aws);
        assertEquals(1, instances.size());
        assertEquals("terminated", instances.get(0).state().nameAsString(), "no instance is left running or stopped");
        assertEquals(List.of(), MotoJenkins.ownImages(aws, REGION), "no AMI is left behind");
        j.assertLogContains("everything the build created was removed", run);
    }

    @Test
    void anInvalidSpecFailsNamingTheFieldBeforeAnyAwsCall() throws Exception {
        WorkflowJob p = pipeline(buildCall(", share: [accounts: ['CHANGEME']]"));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("amiBuild: share.accounts[0]: must be a 12-digit AWS account id, not 'CHANGEME'", run);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws));
        assertEquals(List.of(), MotoJenkins.ownImages(aws, REGION));
    }

    @Test
    void aStepWithoutCredentialsRunsOnlyWhereAnAdministratorAllowedADefaultIdentity() throws Exception {
        StepDefaults steps = new StepDefaults();
        steps.setCredentialsId("moto"); // a default exists, but steps may not use it
        AmiFactoryConfiguration.get().setSteps(steps);
        WorkflowJob p = pipeline(buildCall(", dryRun: true"));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("amiBuild: credentialsId: name the AWS credentials to use", refused);
        j.assertLogContains("(Manage Jenkins > System > AMI Factory: steps)", refused);

        p.setDefinition(new CpsFlowDefinition(buildCall(", dryRun: true, credentialsId: 'moto'"), true));
        WorkflowRun named = j.buildAndAssertSuccess(p);
        j.assertLogContains("as AWS credentials 'moto'", named);

        steps.setAllowDefaultIdentity(true);
        AmiFactoryConfiguration.get().setSteps(steps);
        p.setDefinition(new CpsFlowDefinition(buildCall(", dryRun: true"), true));
        WorkflowRun allowed = j.buildAndAssertSuccess(p);
        j.assertLogContains("as AWS credentials 'moto'", allowed);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws), "dry runs create nothing");
    }

    @Test
    void aSpecWithAUserDataFileIsRefusedSoNoControllerFileIsRead() throws Exception {
        WorkflowJob p = pipeline("amiBuild(spec: [imageName: 'web-{timestamp}', source: '" + source
                + "', userDataFile: '/etc/hostname'])");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("amiBuild spec: userDataFile: files of the machine the build is driven from cannot be read here",
                run);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws));
    }

    @Test
    void aWorkspaceSpecWithSeveralBuildsRunsTheNamedOne() throws Exception {
        String spec = "defaults:\\n  source: " + source + "\\n  bootstrapUrl: https://example.com/bootstrap.sh\\n"
                + "builds:\\n  - name: web\\n    imageName: web-{timestamp}\\n  - name: worker\\n    imageName: worker-{timestamp}\\n";
        WorkflowJob p = pipeline("node {\n"
                + "  writeFile file: 'ami.yaml', text: '" + spec + "'\n"
                + "  def r = amiBuild(spec: 'ami.yaml', name: 'worker', dryRun: true)\n"
                + "  echo \"dry=${r.status} name=${r.name}\"\n"
                + "}\n");
        WorkflowRun run = j.buildAndAssertSuccess(p);
        j.assertLogContains("dry=dry-run name=worker", run);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws), "a dry run creates nothing");

        p.setDefinition(new CpsFlowDefinition("node {\n  writeFile file: 'ami.yaml', text: '" + spec + "'\n"
                + "  amiBuild(spec: 'ami.yaml')\n}\n", true));
        WorkflowRun ambiguous = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("ami.yaml: name: the spec holds 2 builds (web, worker)", ambiguous);
    }

    @Test
    void theStepRoundTripsThroughTheSnippetGeneratorAndItsForm() throws Exception {
        AmiBuildStep step = new AmiBuildStep();
        step.setImageName("web-{timestamp}");
        step.setSource("al2023");
        step.setCopies(List.<Object>of("us-west-2", "eu-central-1"));
        step.setAccounts(List.of("111122223333"));
        step.setCredentialsId("moto");
        new SnippetizerTester(j).assertRoundTrip(step, "amiBuild accounts: ['111122223333'], copies: ['us-west-2', "
                + "'eu-central-1'], credentialsId: 'moto', imageName: 'web-{timestamp}', source: 'al2023'");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        SnippetizerTester.assertDocGeneration(AmiBuildStep.class);
    }
}
