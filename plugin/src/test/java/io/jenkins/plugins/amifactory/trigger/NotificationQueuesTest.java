package io.jenkins.plugins.amifactory.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.util.StreamTaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.Eventually;
import io.amifactory.engine.testkit.SnsToSqs;
import io.amifactory.engine.track.push.QueueStatus;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.SsmParameterSource;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Push: a message on a tracked image's notification queue makes the controller check that image at once, with the
 * poll far away; the job starts once; the message is deleted; the status page shows the queue.
 */
@WithJenkins
@WithMoto
class NotificationQueuesTest {
    private static final String PARAMETER = "/factory-test/base/image_id";
    private static final String REGION = "us-east-1";

    private JenkinsRule j;
    private MotoServer moto;
    private AwsClients aws;
    private String firstAmi;
    private String secondAmi;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer server, AwsClients clients) throws Exception {
        j = rule;
        moto = server;
        aws = clients;
        List<Image> images = aws.ec2(REGION).describeImages().images();
        firstAmi = images.get(0).imageId();
        secondAmi = images.get(1).imageId();
        publish(firstAmi);
        MotoJenkins.configure(moto);
        AmiFactoryConfiguration.get().setPollIntervalMinutes(24 * 60); // only a message can explain a check before tomorrow
    }

    private void publish(String amiId) {
        MotoJenkins.publish(aws, PARAMETER, amiId);
    }

    private static TrackedImageConfig base(String queueUrl) {
        TrackedImageConfig image = new TrackedImageConfig("base", new SsmParameterSource(PARAMETER));
        image.setNotificationQueue(queueUrl);
        return image;
    }

    private static QueueStatus status(String queueUrl) {
        return NotificationQueues.get().statuses().stream().filter(s -> s.queueUrl().equals(queueUrl)).findFirst()
                .orElse(null);
    }

    @Test
    void aMessageOnTheQueueStartsTheJobOnceWithoutWaitingForThePoll() throws Exception {
        try (SnsToSqs topic = SnsToSqs.on(moto, REGION)) {
            SnsToSqs.Subscription updates = topic.subscribedQueue(aws.sqs(REGION), "base-updates");
            AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
            config.setTrackedImages(List.of(base(updates.queueUrl())));
            FreeStyleProject job = j.createFreeStyleProject("bake");
            job.addTrigger(new AmiReleaseTrigger(List.of("base")));
            AmiReleasePoller.get().runCycle(StreamTaskListener.fromStdout()); // the baseline; the next poll is tomorrow
            NotificationQueues.get().follow(config);
            Eventually.await("the queue is listened to", () -> status(updates.queueUrl()) != null
                    && status(updates.queueUrl()).state() == QueueStatus.State.LISTENING, () -> "" + status(updates.queueUrl()));

            publish(secondAmi);
            topic.publish(updates, "{\"v1\": {\"Message\": \"a new Amazon Linux AMI is available\"}}");
            Eventually.await("the job started", () -> job.getLastBuild() != null, () -> "" + status(updates.queueUrl()));
            j.waitUntilNoActivity();
            assertEquals(secondAmi, job.getLastBuild().getCause(AmiReleaseCause.class).getImageId());
            Eventually.await("the message was deleted", () -> SnsToSqs.messagesLeft(aws.sqs(REGION), updates.queueUrl()) == 0,
                    () -> "" + status(updates.queueUrl()));
            assertTrue(status(updates.queueUrl()).messages() >= 1);
            assertNotNull(status(updates.queueUrl()).lastMessageAt());

            topic.publish(updates, "the same news again");
            Eventually.await("the repeat was deleted", () -> status(updates.queueUrl()).messages() >= 2
                    && SnsToSqs.messagesLeft(aws.sqs(REGION), updates.queueUrl()) == 0, () -> "" + status(updates.queueUrl()));
            j.waitUntilNoActivity();
            assertEquals(1, job.getBuilds().size(), "a repeated message starts nothing");

            try (JenkinsRule.WebClient wc = j.createWebClient()) {
                String page = wc.goTo("ami-factory").getWebResponse().getContentAsString();
                assertTrue(page.contains(updates.queueUrl()) && page.contains("listening"), page);
            }
        }
    }

    @Test
    void aQueueThatIsGoneIsShownWithItsErrorAndPollingGoesOn() throws Exception {
        String gone = moto.endpoint() + "/123456789012/gone-queue";
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTrackedImages(List.of(base(gone)));
        NotificationQueues.get().follow(config);
        Eventually.await("the failure is shown", () -> status(gone) != null && status(gone).lastError() != null,
                () -> "" + status(gone));
        assertTrue(status(gone).lastError().contains("gone-queue"), status(gone).lastError());
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            String page = wc.goTo("ami-factory").getWebResponse().getContentAsString();
            assertTrue(page.contains("gone-queue") && page.contains("failing"), page);
        }
        FreeStyleProject job = j.createFreeStyleProject("bake");
        job.addTrigger(new AmiReleaseTrigger(List.of("base")));
        AmiReleasePoller.get().runCycle(StreamTaskListener.fromStdout());
        publish(secondAmi);
        AmiReleasePoller.get().runCycle(StreamTaskListener.fromStdout());
        j.waitUntilNoActivity();
        assertEquals(1, job.getBuilds().size(), "polling still finds the release");
    }
}
