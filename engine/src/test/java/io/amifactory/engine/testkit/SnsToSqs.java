package io.amifactory.engine.testkit;

import io.amifactory.engine.emulator.MotoServer;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moto's SNS delivering to SQS, set up as a user does for an AWS AMI topic: a queue subscribed to a topic. The
 * engine never publishes; only tests do, with this client.
 */
public final class SnsToSqs implements AutoCloseable {
    /** A queue subscribed to a topic. */
    public record Subscription(String queueUrl, String topicArn) {
    }

    public final SnsClient sns;

    private SnsToSqs(SnsClient sns) {
        this.sns = sns;
    }

    public static SnsToSqs on(MotoServer moto, String region) {
        return new SnsToSqs(SnsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build());
    }

    /** A new queue {@code name}, subscribed to a new topic {@code name-topic}. */
    public Subscription subscribedQueue(SqsClient sqs, String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String topic = sns.createTopic(b -> b.name(name + "-topic")).topicArn();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn));
        return new Subscription(url, topic);
    }

    public void publish(Subscription to, String message) {
        sns.publish(b -> b.topicArn(to.topicArn()).message(message));
    }

    /** Messages not yet deleted, received (hidden) ones included. */
    public static int messagesLeft(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        sns.close();
    }
}
