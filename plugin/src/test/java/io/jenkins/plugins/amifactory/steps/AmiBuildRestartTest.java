package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import io.jenkins.plugins.amifactory.MotoJenkins;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/** A controller restart while {@code amiBuild} waits for the customisation: the build goes on, nothing is made twice. */
@ExtendWith(MotoExtension.class)
class AmiBuildRestartTest {
    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aBuildWaitingForItsCustomisationFinishesAfterARestart(MotoServer moto, AwsClients aws) throws Throwable {
        String source = MotoJenkins.amazonLinux(aws);
        sessions.then(j -> {
            MotoJenkins.configure(moto);
            WorkflowJob p = j.createProject(WorkflowJob.class, "bake");
            p.setDefinition(new CpsFlowDefinition("def built = amiBuild(imageName: 'web-{timestamp}', source: '" + source
                    + "', userData: '#!/bin/bash\\ntrue', completion: 'stop')\necho \"ami=${built.imageId}\"\n", true));
            WorkflowRun run = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("| Linux version", run);
            assertEquals("running", MotoJenkins.buildInstances(aws).get(0).state().nameAsString());
        });
        sessions.then(j -> {
            AmiBuildExecution.maxPoll = MotoJenkins.POLL;
            WorkflowRun run = j.jenkins.getItemByFullName("bake", WorkflowJob.class).getLastBuild();
            MotoJenkins.stopBuildInstance(aws);
            j.assertBuildStatusSuccess(j.waitForCompletion(run));
            j.assertLogContains("amiBuild: resuming build", run);

            List<Instance> instances = MotoJenkins.buildInstances(aws);
            assertEquals(1, instances.size(), "the resumed build did not launch a second instance");
            assertEquals("terminated", instances.get(0).state().nameAsString());
            String ami = MotoJenkins.ownImages(aws, REGION).get(0).imageId();
            assertEquals(1, MotoJenkins.ownImages(aws, REGION).size());
            j.assertLogContains("ami=" + ami, run);
        });
    }
}
