package io.amifactory.engine.track.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The listener through the real SDK against Moto's SNS and SQS: a topic, a queue subscribed to it, a publish. */
@ExtendWith(MotoExtension.class)
class QueueListenerMotoTest {
    private static final String REGION = "us-east-1";

    static SnsClient sns(MotoServer moto) {
        return SnsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** A queue subscribed to a new topic, as a user sets one up for an AWS AMI topic; returns {queueUrl, topicArn}. */
    static String[] subscribedQueue(SqsClient sqs, SnsClient sns, String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String topic = sns.createTopic(b -> b.name(name + "-topic")).topicArn();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn));
        return new String[] {url, topic};
    }

    static int messagesLeft(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Waits (up to a minute, so that a broken listener fails the test rather than hangs it) until it holds. */
    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never happened: " + what);
    }

    @Test
    void aPublishToTheTopicReachesTheHandlerAndTheMessageIsDeletedAfterIt(MotoServer moto, AwsClients aws) throws Exception {
        SqsClient sqs = aws.sqs(REGION);
        try (SnsClient sns = sns(moto)) {
            String[] q = subscribedQueue(sqs, sns, "al2023-updates");
            LinkedBlockingQueue<String> handled = new LinkedBlockingQueue<>();
            try (QueueListener l = new QueueListener(sqs, q[0], (url, n) -> handled.add(url + " " + n + " left "
                    + messagesLeft(sqs, url)), null, Clock.systemUTC())) {
                l.start();
                sns.publish(b -> b.topicArn(q[1]).message("{\"v1\":{\"Message\":\"A new version of the AL2023 AMI\"}}"));
                String first = handled.poll(60, TimeUnit.SECONDS);
                assertEquals(q[0] + " 1 left 1", first, "handed over while still in the queue (received, not deleted)");
                await("the message is deleted", () -> messagesLeft(sqs, q[0]) == 0);
                assertEquals(1, l.status().messages());
                assertEquals(QueueStatus.State.LISTENING, l.status().state());
            }
        }
    }

    @Test
    void aQueueThatIsGoneIsAClearError(AwsClients aws) throws Exception {
        SqsClient sqs = aws.sqs(REGION);
        String url = sqs.createQueue(b -> b.queueName("soon-gone")).queueUrl();
        sqs.deleteQueue(b -> b.queueUrl(url));
        QueueListener l = new QueueListener(sqs, url, (u, n) -> { }, null, Clock.systemUTC());
        assertEquals(QueueListener.FIRST_RETRY, l.pollOnce());
        assertEquals("notification queue " + url + ": the queue does not exist (AWS.SimpleQueueService.NonExistentQueue: "
                + "The specified queue does not exist.)", l.status().lastError());
    }

    @Test
    void aDeniedQueueIsAClearError(MotoServer moto, AwsClients aws) throws Exception {
        String url = aws.sqs(REGION).createQueue(b -> b.queueName("denied")).queueUrl();
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none().inject("sqs:*", FaultPlan.Fault.ACCESS_DENIED, 1.0));
                AwsClients viaProxy = new AwsClients(proxy.settings())) {
            QueueListener l = new QueueListener(viaProxy.sqs(REGION), url, (u, n) -> { }, null, Clock.systemUTC());
            assertEquals(QueueListener.FIRST_RETRY, l.pollOnce());
            assertEquals("notification queue " + url + ": access denied: the factory's credentials need "
                    + "sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on it (AccessDenied: Access to "
                    + "the resource is denied.)", l.status().lastError());
            assertEquals(List.of("sqs:GetQueueAttributes"), proxy.calls().stream().map(FaultProxy.Call::type).toList(),
                    "denied is final: not retried by the SDK");
        }
    }
}
