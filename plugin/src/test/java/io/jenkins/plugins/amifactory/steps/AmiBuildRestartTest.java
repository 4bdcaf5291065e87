package io.jenkins.plugins.amifactory.steps;

import static io.jenkins.plugins.amifactory.MotoJenkins.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.runners.AmiBuilds;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * A controller restart in the middle of {@code amiBuild}, in the same JVM: the build goes on where it was after
 * the restart, nothing is made twice, and nothing about the restart is taken for a failure.
 */
@WithMoto
class AmiBuildRestartTest {
    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static WorkflowRun startBuild(JenkinsRule j, String source) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "bake");
        p.setDefinition(new CpsFlowDefinition("def built = amiBuild(imageName: 'web-{timestamp}', source: '" + source
                + "', userData: '#!/bin/bash\\ntrue', completion: 'stop')\necho \"ami=${built.imageId}\"\n", true));
        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("| Linux version", run);
        return run;
    }

    /** After the restart: the instance is stopped as the customisation would, and the build must finish. */
    private static void assertFinishesWithOneInstanceAndOneImage(JenkinsRule j, AwsClients aws) throws Exception {
        AmiBuilds.maxPoll = MotoJenkins.POLL;
        WorkflowRun run = j.jenkins.getItemByFullName("bake", WorkflowJob.class).getLastBuild();
        MotoJenkins.stopBuildInstance(aws);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));
        j.assertLogContains("amiBuild: resuming build", run);
        List<Instance> instances = MotoJenkins.buildInstances(aws);
        assertEquals(1, instances.size(), "the resumed build did not launch a second instance");
        assertEquals("terminated", instances.get(0).state().nameAsString());
        assertEquals(1, MotoJenkins.ownImages(aws, REGION).size());
        j.assertLogContains("ami=" + MotoJenkins.ownImages(aws, REGION).get(0).imageId(), run);
    }

    private static String running(AwsClients aws) {
        return MotoJenkins.buildInstances(aws).get(0).state().nameAsString();
    }

    @Test
    void aBuildWaitingForItsCustomisationFinishesAfterARestart(MotoServer moto, AwsClients aws) throws Throwable {
        String source = MotoJenkins.amazonLinux(aws);
        sessions.then(j -> {
            MotoJenkins.configure(moto);
            startBuild(j, source);
            assertEquals("running", running(aws));
        });
        sessions.then(j -> assertFinishesWithOneInstanceAndOneImage(j, aws));
    }

    @Test
    void aTickCaughtInAnAwsCallByTheShutdownPausesTheBuildInsteadOfFailingIt(MotoServer moto, AwsClients aws)
            throws Throwable {
        String source = MotoJenkins.amazonLinux(aws);
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            AtomicReference<FaultProxy.Hold> held = new AtomicReference<>();
            sessions.then(j -> {
                MotoJenkins.configure(moto);
                AmiFactoryConfiguration.get().setEndpoint(proxy.endpoint().toString());
                startBuild(j, source);
                held.set(proxy.hold("ec2:DescribeInstances"));
                // A tick now waits for AWS's answer while the controller stops.
                assertTrue(held.get().awaitArrival(Duration.ofMinutes(1)));
            });
            assertEquals("running", running(aws), "the shutdown did not clean the build up");
            held.get().release();
            sessions.then(j -> {
                WorkflowRun run = j.jenkins.getItemByFullName("bake", WorkflowJob.class).getLastBuild();
                assertFinishesWithOneInstanceAndOneImage(j, aws);
                j.assertLogNotContains("cleaning up", run);
            });
        }
    }

    @Test
    void credentialsThatCannotBeReadAfterARestartAreRetriedUntilTheyCanBe(MotoServer moto, AwsClients aws)
            throws Throwable {
        String source = MotoJenkins.amazonLinux(aws);
        sessions.then(j -> {
            MotoJenkins.configure(moto);
            startBuild(j, source);
            // The running machine holds its clients; only the machine rebuilt after the restart looks them up.
            SystemCredentialsProvider.getInstance().getCredentials().clear();
            SystemCredentialsProvider.getInstance().save();
        });
        sessions.then(j -> {
            WorkflowRun run = j.jenkins.getItemByFullName("bake", WorkflowJob.class).getLastBuild();
            j.waitForMessage("AWS credentials 'moto' were not found", run);
            j.waitForMessage("trying again every 30 s until", run);
            assertTrue(run.isBuilding(), "the step did not give up while the instance exists");
            assertEquals("running", running(aws));
            SystemCredentialsProvider.getInstance().getCredentials().add(
                    new AWSCredentialsImpl(CredentialsScope.GLOBAL, "moto", "testing", "testing", "Moto"));
            assertFinishesWithOneInstanceAndOneImage(j, aws);
        });
    }
}
