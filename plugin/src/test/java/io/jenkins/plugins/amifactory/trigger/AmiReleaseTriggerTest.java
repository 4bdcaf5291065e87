package io.jenkins.plugins.amifactory.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.StreamTaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.ReleaseEvent;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.SsmParameterSource;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import java.time.Instant;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The whole path against Moto: global configuration → credentials bridge → engine tracker → ledger →
 * pending event → job scheduled once with cause and environment → event acknowledged.
 * Moto's own images stand in for upstream ones; an SSM parameter in our account stands in for the
 * public parameter AWS would update.
 */
@WithJenkins
@WithMoto
class AmiReleaseTriggerTest {
    private static final String PARAMETER = "/factory-test/base/image_id";
    private static final String REGION = "us-east-1";

    private JenkinsRule j;
    private AwsClients aws;
    private String firstAmi;
    private String secondAmi;
    private final TaskListener listener = StreamTaskListener.fromStdout();

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer moto, AwsClients clients) throws Exception {
        j = rule;
        aws = clients;
        List<Image> images = aws.ec2(REGION).describeImages().images();
        assertTrue(images.size() >= 2, "Moto ships sample AMIs in every region");
        firstAmi = images.get(0).imageId();
        secondAmi = images.get(1).imageId();
        publish(firstAmi);

        MotoJenkins.configure(moto);
        AmiFactoryConfiguration.get().setTrackedImages(List.of(new TrackedImageConfig("base", new SsmParameterSource(PARAMETER))));
    }

    private void publish(String amiId) {
        MotoJenkins.publish(aws, PARAMETER, amiId);
    }

    private String imageName(String amiId) {
        return aws.ec2(REGION).describeImages(r -> r.imageIds(amiId)).images().get(0).name();
    }

    private void cycle() throws Exception {
        AmiReleasePoller.get().runCycle(listener);
        j.waitUntilNoActivity();
    }

    @Test
    void freestyleJobStartsOncePerNewAmiWithCauseAndEnvironment() throws Exception {
        FreeStyleProject wanted = j.createFreeStyleProject("wanted");
        wanted.addTrigger(new AmiReleaseTrigger(List.of("base")));
        FreeStyleProject otherImage = j.createFreeStyleProject("other-image");
        otherImage.addTrigger(new AmiReleaseTrigger(List.of("not-base")));
        FreeStyleProject otherRegion = j.createFreeStyleProject("other-region");
        AmiReleaseTrigger regionTrigger = new AmiReleaseTrigger(List.of());
        regionTrigger.setRegions(List.of("eu-west-1"));
        otherRegion.addTrigger(regionTrigger);

        cycle();
        assertNull(wanted.getLastBuild(), "first sight is a baseline: nothing fires");

        publish(secondAmi);
        cycle();
        FreeStyleBuild build = wanted.getLastBuild();
        assertNotNull(build, "a new AMI starts the job");
        assertEquals(1, build.getNumber());
        AmiReleaseCause cause = build.getCause(AmiReleaseCause.class);
        assertNotNull(cause);
        assertTrue(cause.getShortDescription().startsWith("New upstream AMI " + secondAmi), cause.getShortDescription());
        assertTrue(cause.getShortDescription().endsWith(" for base in " + REGION), cause.getShortDescription());
        EnvVars env = build.getEnvironment(TaskListener.NULL);
        assertEquals(secondAmi, env.get("AMI_ID"));
        assertEquals(imageName(secondAmi), env.get("AMI_NAME"));
        assertEquals(REGION, env.get("AMI_REGION"));
        assertEquals(firstAmi, env.get("AMI_PREVIOUS_ID"));
        assertEquals("base", env.get("AMI_TRACKED_IMAGE"));
        assertTrue(env.get("AMI_RELEASE_EVENT").contains(secondAmi), env.get("AMI_RELEASE_EVENT"));
        assertNull(otherImage.getLastBuild(), "a trigger for another image does not fire");
        assertNull(otherRegion.getLastBuild(), "a trigger for another region does not fire");

        cycle();
        cycle();
        assertEquals(1, wanted.getBuilds().size(), "the same AMI never fires twice");
    }

    /** Every variable a release gives a Pipeline, echoed on one line. */
    private static final String ECHO_RELEASE = "echo \"ami=${env.AMI_ID} name=${env.AMI_NAME} region=${env.AMI_REGION} "
            + "prev=${env.AMI_PREVIOUS_ID} image=${env.AMI_TRACKED_IMAGE} event=${env.AMI_RELEASE_EVENT}\"";

    private void assertReleaseSeen(WorkflowRun run) throws Exception {
        AmiReleaseCause cause = run.getCause(AmiReleaseCause.class);
        assertNotNull(cause, "the build says why it started");
        assertEquals(secondAmi, cause.getImageId());
        j.assertLogContains("ami=" + secondAmi + " name=" + imageName(secondAmi) + " region=" + REGION + " prev="
                + firstAmi + " image=base event={", run);
        j.assertLogContains("\"imageId\":\"" + secondAmi + "\"", run);
    }

    @Test
    void pipelineJobWithPipelineTriggersStartsOncePerNewAmiWithCauseAndEnvironment() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "pipeline");
        p.setDefinition(new CpsFlowDefinition(
                "properties([pipelineTriggers([amiRelease(images: ['base'], regions: ['" + REGION + "'])])])\n"
                        + ECHO_RELEASE + "\n", true));
        j.buildAndAssertSuccess(p); // registers the trigger, as the first run of a Jenkinsfile does

        cycle();
        assertEquals(1, p.getBuilds().size(), "first sight is a baseline: nothing fires");

        publish(secondAmi);
        cycle();
        WorkflowRun run = p.getLastBuild();
        assertEquals(2, run.getNumber());
        assertReleaseSeen(run);

        cycle();
        assertEquals(2, p.getBuilds().size(), "the same AMI never fires twice");
    }

    @Test
    void declarativeTriggersDirectiveStartsOncePerNewAmiWithCauseAndEnvironment() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "declarative");
        p.setDefinition(new CpsFlowDefinition("pipeline {\n"
                + "  agent none\n"
                + "  triggers { amiRelease(images: ['base']) }\n"
                + "  stages { stage('bake') { steps { " + ECHO_RELEASE + " } } }\n"
                + "}\n", true));
        j.buildAndAssertSuccess(p);
        assertNotNull(p.getTriggers().values().stream().filter(AmiReleaseTrigger.class::isInstance).findFirst()
                .orElse(null), "the directive registered the trigger");

        cycle();
        assertEquals(1, p.getBuilds().size(), "first sight is a baseline: nothing fires");

        publish(secondAmi);
        cycle();
        assertEquals(2, p.getBuilds().size());
        assertReleaseSeen(p.getLastBuild());

        cycle();
        assertEquals(2, p.getBuilds().size(), "the same AMI never fires twice");
    }

    @Test
    void dispatchingTheSameEventAgainSchedulesNothing() throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("job");
        job.addTrigger(new AmiReleaseTrigger(List.of()));
        ReleaseEvent event = new ReleaseEvent("evt-1", "base", REGION, secondAmi, "name", "2026-01-01T00:00:00.000Z",
                firstAmi, "ssm:" + PARAMETER, Instant.now(), new ImageSource.Parameter(PARAMETER));
        ReleaseDispatcher dispatcher = new ReleaseDispatcher();

        assertEquals(1, dispatcher.dispatch(event, listener));
        // What a restart between scheduling and acknowledging would do: the same event once more.
        assertEquals(0, dispatcher.dispatch(event, listener), "still queued: not scheduled again");
        j.waitUntilNoActivity();
        assertEquals(0, dispatcher.dispatch(event, listener), "already built: not scheduled again");
        j.waitUntilNoActivity();
        assertEquals(1, job.getBuilds().size());
        Run<?, ?> build = job.getLastBuild();
        assertEquals(secondAmi, build.getEnvironment(TaskListener.NULL).get("AMI_ID"));
    }
}
