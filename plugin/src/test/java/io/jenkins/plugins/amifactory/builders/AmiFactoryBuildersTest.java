package io.jenkins.plugins.amifactory.builders;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.FileBuildRecordStore;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.StepDefaults;
import io.jenkins.plugins.amifactory.runners.OpenBuilds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/** The freestyle builders against Moto: build, then share ${AMI_IDS}; the exported variables; the forms. */
@WithJenkins
@WithMoto
class AmiFactoryBuildersTest {
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

    private String spec(String extra) {
        return "imageName: web-{timestamp}\nsource: " + source + "\nuserData: |\n  #!/bin/bash\n  echo ${HOME}\n"
                + "completion: stop\n" + extra;
    }

    @Test
    void theBuildBuilderExportsTheAmiAndTheShareBuilderSharesIt() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("bake");
        AmiBuildBuilder build = new AmiBuildBuilder();
        build.setSpec(spec(""));
        p.getBuildersList().add(build);
        AmiShareBuilder share = new AmiShareBuilder();
        share.setImage("${AMI_IDS}");
        share.setAccounts("444455556666");
        p.getBuildersList().add(share);
        CaptureEnvironmentBuilder env = new CaptureEnvironmentBuilder();
        p.getBuildersList().add(env);

        FreeStyleBuild run = p.scheduleBuild2(0).waitForStart();
        MotoJenkins.finishCustomisation(j, run, aws);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));

        String ami = MotoJenkins.ownImages(aws, REGION).get(0).imageId();
        EnvVars vars = env.getEnvVars();
        assertEquals(ami, vars.get("AMI_ID"));
        assertEquals(REGION + "=" + ami, vars.get("AMI_IDS"));
        assertEquals(source, vars.get("AMI_SOURCE_ID"));
        assertEquals(REGION, vars.get("AMI_REGION"));
        List<String> shared = aws.ec2(REGION).describeImageAttribute(r -> r.imageId(ami).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::userId).toList();
        assertEquals(List.of("444455556666"), shared);
        assertEquals("terminated", MotoJenkins.buildInstances(aws).get(0).state().nameAsString());
        try (Stream<Path> files = Files.walk(run.getRootDir().toPath().resolve("ami-factory"))) {
            Path record = files.filter(f -> f.getFileName().toString().equals("record.json")).findFirst().orElseThrow();
            assertTrue(FileBuildRecordStore.load(record).isFinished(), "the build's record is kept under the run");
        }
        assertEquals(List.of(), OpenBuilds.all(), "and the build is no longer open");
    }

    @Test
    void anInvalidSpecFailsTheBuildBeforeAnyAwsCall() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("bake");
        AmiBuildBuilder build = new AmiBuildBuilder();
        build.setSpec(spec("copies: [\"not a region\"]\n"));
        p.getBuildersList().add(build);
        FreeStyleBuild run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("spec:7: copies[0]:", run);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws));
    }

    @Test
    void theFreestyleBuildersRefuseToRunInAPipeline() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "pipeline");
        p.setDefinition(new CpsFlowDefinition("node { step([$class: 'AmiBuildBuilder', spec: '''"
                + spec("") + "'''])\n}\n", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("Build an AMI (AMI Factory) is a freestyle build step; in a Pipeline use amiBuild", run);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws), "nothing was launched");
    }

    @Test
    void aFreestyleBuildWithoutCredentialsRunsOnlyWhereAnAdministratorAllowedADefaultIdentity() throws Exception {
        AmiFactoryConfiguration.get().setSteps(new StepDefaults());
        FreeStyleProject p = j.createFreeStyleProject("bake");
        AmiBuildBuilder build = new AmiBuildBuilder();
        build.setSpec(spec(""));
        p.getBuildersList().add(build);
        FreeStyleBuild run = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("Build an AMI: credentialsId: name the AWS credentials to use", run);
        assertEquals(List.of(), MotoJenkins.buildInstances(aws), "nothing was launched");
    }

    @Test
    void theBuildersRoundTripThroughTheirForms() throws Exception {
        AmiBuildBuilder build = new AmiBuildBuilder();
        build.setSpecFile("ami/web.yaml");
        build.setName("web");
        build.setRegion("eu-west-1");
        build.setCredentialsId("moto");
        j.assertEqualDataBoundBeans(build, j.configRoundtrip(build));

        AmiShareBuilder share = new AmiShareBuilder();
        share.setImage("${AMI_IDS}");
        share.setAccounts("111122223333 444455556666");
        share.setSnapshots(true);
        j.assertEqualDataBoundBeans(share, j.configRoundtrip(share));

        AmiPruneBuilder prune = new AmiPruneBuilder();
        prune.setName("web-*");
        prune.setKeep("3");
        prune.setRegions("us-east-1 eu-west-1");
        prune.setDryRun(true);
        j.assertEqualDataBoundBeans(prune, j.configRoundtrip(prune));
    }
}
