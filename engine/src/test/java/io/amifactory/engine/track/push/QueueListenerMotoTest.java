package io.amifactory.engine.track.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.Eventually;
import io.amifactory.engine.testkit.MotoExtension;
import io.amifactory.engine.testkit.SnsToSqs;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The listener through the real SDK against Moto's SNS and SQS: a topic, a queue subscribed to it, a publish. */
@ExtendWith(MotoExtension.class)
class QueueListenerMotoTest {
    private static final String REGION = "us-east-1";

    @Test
    void aPublishToTheTopicReachesTheHandlerAndTheMessageIsDeletedAfterIt(MotoServer moto, AwsClients aws) throws Exception {
        SqsClient sqs = aws.sqs(REGION);
        try (SnsToSqs sns = SnsToSqs.on(moto, REGION)) {
            SnsToSqs.Subscription q = sns.subscribedQueue(sqs, "al2023-updates");
            LinkedBlockingQueue<String> handled = new LinkedBlockingQueue<>();
            try (QueueListener l = new QueueListener(sqs, q.queueUrl(), (url, n) -> handled.add(url + " " + n + " left "
                    + SnsToSqs.messagesLeft(sqs, url)), null, Clock.systemUTC())) {
                l.start();
                sns.publish(q, "{\"v1\":{\"Message\":\"A new version of the AL2023 AMI\"}}");
                String first = handled.poll(120, TimeUnit.SECONDS);
                assertEquals(q.queueUrl() + " 1 left 1", first, "handed over while still in the queue (received, not deleted)");
                Eventually.await("the message is deleted", () -> SnsToSqs.messagesLeft(sqs, q.queueUrl()) == 0,
                        () -> l.status().toString());
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
