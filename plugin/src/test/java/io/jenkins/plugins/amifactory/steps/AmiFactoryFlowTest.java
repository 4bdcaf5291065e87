package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.runners.PruneRunner;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/** The release Pipeline of docs/jenkins.md in one run against Moto: build, share, prune the old, find the newest. */
@WithJenkins
@WithMoto
class AmiFactoryFlowTest {
    private JenkinsRule j;
    private AwsClients aws;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        MotoJenkins.configure(moto);
    }

    @Test
    void buildSharePruneAndLatestInOnePipeline() throws Exception {
        String source = MotoJenkins.amazonLinux(aws);
        String older = aws.ec2(REGION).registerImage(r -> r.name("web-20260101")).imageId();
        String old = aws.ec2(REGION).registerImage(r -> r.name("web-20260102")).imageId();
        WorkflowJob p = j.createProject(WorkflowJob.class, "release");
        p.setDefinition(new CpsFlowDefinition(""
                + "def built = amiBuild(imageName: 'web-{timestamp}', source: '" + source + "', "
                + "userData: '#!/bin/bash\\ntrue', completion: 'stop')\n"
                + "amiShare(image: built.imageId, accounts: ['111122223333'])\n"
                + "def report = amiPrune(name: 'web-*', keep: 1)\n"
                + "def newest = amiLatest(name: 'web-*')\n"
                + "echo \"built=${built.imageId} pruned=${report.results[0].actions.size()} latest=${newest}\"\n", true));
        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        MotoJenkins.finishCustomisation(j, run, aws);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));

        List<Image> left = MotoJenkins.ownImages(aws, REGION);
        assertEquals(1, left.size(), "the two older images were pruned: " + left);
        String built = left.get(0).imageId();
        assertTrue(!built.equals(older) && !built.equals(old));
        j.assertLogContains("built=" + built + " pruned=2 latest=" + built, run);
        Set<String> sharedWith = aws.ec2(REGION).describeImageAttribute(r -> r.imageId(built).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::userId).collect(Collectors.toSet());
        assertEquals(Set.of("111122223333"), sharedWith);
        assertTrue(run.getArtifactManager().root().child(PruneRunner.PLAN_FILE).exists(), "the prune plan is archived");
        assertEquals("terminated", MotoJenkins.buildInstances(aws).get(0).state().nameAsString());
    }
}
