package io.amifactory.engine.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An in-memory SQS of the calls a queue listener makes: queues by URL, messages that are hidden once received
 * until deleted or {@linkplain #showAgain shown again}, a short long poll (a receive on an empty queue waits
 * up to 50 ms for a message), and queues that are {@linkplain #gone gone} or {@linkplain #denied denied}.
 * Calls are recorded in {@link #log}.
 */
public final class FakeSqs implements SqsClient {
    public final CallLog log;
    private final Map<String, List<Held>> queues = new LinkedHashMap<>();
    private final java.util.Set<String> denied = new java.util.HashSet<>();

    private static final class Held {
        final Message message;
        boolean hidden;

        Held(Message message) {
            this.message = message;
        }
    }

    public FakeSqs(CallLog log) {
        this.log = log;
    }

    public synchronized FakeSqs queue(String url) {
        queues.putIfAbsent(url, new ArrayList<>());
        return this;
    }

    /** A message arrives (as SNS would deliver it). */
    public synchronized void send(String url, String body) {
        queues.get(url).add(new Held(Message.builder().messageId(UUID.randomUUID().toString())
                .receiptHandle(UUID.randomUUID().toString()).body(body).build()));
        notifyAll();
    }

    /** The queue is deleted. */
    public synchronized void gone(String url) {
        queues.remove(url);
    }

    /** These credentials may not read the queue. */
    public synchronized void denied(String url, boolean denied) {
        if (denied) {
            this.denied.add(url);
        } else {
            this.denied.remove(url);
        }
    }

    /** Received messages not deleted show again, as after their visibility timeout. */
    public synchronized void showAgain(String url) {
        queues.get(url).forEach(h -> h.hidden = false);
    }

    /** Messages in the queue, hidden ones included (not yet deleted). */
    public synchronized int messages(String url) {
        return queues.get(url).size();
    }

    @Override
    public synchronized GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest r) {
        log.record("getQueueAttributes");
        check(r.queueUrl());
        return GetQueueAttributesResponse.builder()
                .attributes(Map.of(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:us-east-1:123456789012:q")).build();
    }

    @Override
    public synchronized ReceiveMessageResponse receiveMessage(ReceiveMessageRequest r) {
        log.record("receiveMessage");
        check(r.queueUrl());
        long until = System.currentTimeMillis() + 50;
        while (visible(r.queueUrl()).isEmpty() && System.currentTimeMillis() < until) {
            try {
                wait(Math.max(1, until - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            check(r.queueUrl());
        }
        List<Message> out = new ArrayList<>();
        for (Held h : visible(r.queueUrl())) {
            if (out.size() < r.maxNumberOfMessages()) {
                h.hidden = true;
                out.add(h.message);
            }
        }
        return ReceiveMessageResponse.builder().messages(out).build();
    }

    @Override
    public synchronized DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest r) {
        log.record("deleteMessageBatch");
        check(r.queueUrl());
        List<DeleteMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        r.entries().forEach(e -> {
            if (queues.get(r.queueUrl()).removeIf(h -> h.message.receiptHandle().equals(e.receiptHandle()))) {
                ok.add(DeleteMessageBatchResultEntry.builder().id(e.id()).build());
            } else {
                failed.add(BatchResultErrorEntry.builder().id(e.id()).code("ReceiptHandleIsInvalid").senderFault(true).build());
            }
        });
        return DeleteMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    private List<Held> visible(String url) {
        List<Held> q = queues.get(url);
        return q == null ? List.of() : q.stream().filter(h -> !h.hidden).toList();
    }

    private void check(String url) {
        if (!queues.containsKey(url)) {
            throw (SqsException) QueueDoesNotExistException.builder().statusCode(400)
                    .message("The specified queue does not exist.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AWS.SimpleQueueService.NonExistentQueue")
                            .errorMessage("The specified queue does not exist.").serviceName("Sqs").build())
                    .build();
        }
        if (denied.contains(url)) {
            throw (SqsException) SqsException.builder().statusCode(403).message("Access to the resource is denied.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
                            .errorMessage("Access to the resource is denied.").serviceName("Sqs").build())
                    .build();
        }
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
