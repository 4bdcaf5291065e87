package io.amifactory.engine.track.push;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.aws.QueueUrls;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Listens to one SQS queue (long polling, 20 s) on its own thread and hands every batch of messages to a
 * {@link Handler} — which re-checks the tracked images that name the queue — then deletes the batch. A message
 * is only a hint: its content is never read, never logged, and never decides anything, so a forged, repeated
 * or garbled message costs one check and fires nothing by itself. It is deleted only once the handler returned,
 * that is once the ledger recorded what the check found; if the handler fails, the messages come back after
 * {@link #VISIBILITY_SECONDS} and are handled again.
 *
 * <p>A queue that is gone or denied, or an SQS that cannot be reached, is reported once (naming the queue and
 * the reason) and kept in the {@linkplain #status() status}; the listener retries with back-off up to
 * {@link #MAX_RETRY} until it is closed, so a queue created or allowed later is picked up. Polling at the
 * interval does not depend on it.
 */
public final class QueueListener implements AutoCloseable {
    /** The longest long poll SQS allows. */
    static final int WAIT_SECONDS = 20;
    /** The most messages one receive returns, and one delete batch takes. */
    static final int BATCH = 10;
    /** How long received messages stay hidden: longer than a check of the images of one queue takes. */
    static final int VISIBILITY_SECONDS = 300;
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final Set<String> GONE = Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");

    /** What a batch of messages makes happen. Returning normally means: done, delete the messages. */
    @FunctionalInterface
    public interface Handler {
        void handle(String queueUrl, int messages) throws Exception;
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final Handler handler;
    private final ProgressListener progress;
    private final Clock clock;
    private final AtomicReference<QueueStatus> status;
    private final Object pause = new Object();
    private volatile boolean closed;
    private boolean checked;
    private boolean queueFailing;
    private int failuresInARow;
    private String reported;
    private Thread thread;

    public QueueListener(SqsClient sqs, String queueUrl, Handler handler, ProgressListener progress, Clock clock) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.status = new AtomicReference<>(QueueStatus.starting(queueUrl));
    }

    public String queueUrl() {
        return queueUrl;
    }

    public QueueStatus status() {
        return status.get();
    }

    /** Starts listening on a daemon thread of its own. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::listen, "amifactory-queue-" + QueueUrls.name(queueUrl));
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops listening. A receive under way ends by itself within {@link #WAIT_SECONDS}; messages it returns are
     * left in the queue, which shows them again later.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (pause) {
            pause.notifyAll();
        }
        status.updateAndGet(QueueStatus::stopped);
    }

    private void listen() {
        // An interrupt of this thread ends the listening: every receive would fail at once, in a tight loop.
        while (!closed && !Thread.currentThread().isInterrupted()) {
            Duration wait;
            try {
                wait = pollOnce();
            } catch (RuntimeException e) {
                // a handler's own failure is caught in pollOnce; this is a bug, and the listener must outlive it
                wait = failed("notification queue " + queueUrl + ": " + AwsErrors.describe(e));
            }
            if (!wait.isZero()) {
                pause(wait);
            }
        }
        status.updateAndGet(QueueStatus::stopped);
    }

    /**
     * One long poll: receive, hand over, delete. Returns how long to wait before the next one: zero, or the
     * back-off after a failure.
     */
    Duration pollOnce() {
        List<Message> messages;
        try {
            if (!checked) {
                // a clear error at once, rather than at the first message, for a queue that is gone or denied
                sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
                checked = true;
            }
            messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(BATCH)
                    .waitTimeSeconds(WAIT_SECONDS).visibilityTimeout(VISIBILITY_SECONDS)).messages();
        } catch (RuntimeException e) {
            if (AwsErrors.isInterruption(e)) {
                return Duration.ZERO; // not the queue's failure; the loop ends
            }
            // SdkExceptions, and what the SDK throws once its clients are closed under a receive
            checked = false;
            queueFailing = true;
            return failed(describe(queueUrl, e));
        }
        if (closed) {
            return Duration.ZERO;
        }
        recovered();
        if (messages.isEmpty()) {
            return Duration.ZERO;
        }
        status.updateAndGet(s -> s.received(messages.size(), clock.instant()));
        try {
            handler.handle(queueUrl, messages.size());
        } catch (Exception e) {
            if (AwsErrors.isInterruption(e)) {
                return Duration.ZERO; // the messages stay in the queue and come back: nothing is lost
            }
            return failed("notification queue " + queueUrl + ": the check after " + messages.size()
                    + " message(s) failed (" + AwsErrors.describe(e) + "); they are handled again when SQS shows "
                    + "them again, in " + VISIBILITY_SECONDS / 60 + " min");
        }
        return delete(messages);
    }

    private Duration delete(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        try {
            DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!r.failed().isEmpty()) {
                // they come back as a harmless repeat: one more check, nothing fired twice
                return failed("notification queue " + queueUrl + ": " + r.failed().size() + " message(s) could not be "
                        + "deleted (" + r.failed().get(0).code() + "); they will be handled again");
            }
        } catch (RuntimeException e) {
            return failed(describe(queueUrl, e));
        }
        return Duration.ZERO;
    }

    private Duration failed(String error) {
        if (closed) {
            return Duration.ZERO;
        }
        status.updateAndGet(s -> s.failed(error, clock.instant()));
        failuresInARow++;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failuresInARow - 1, 10));
        if (wait.compareTo(MAX_RETRY) > 0) {
            wait = MAX_RETRY;
        }
        if (!error.equals(reported)) {
            reported = error;
            progress.warn(error + "; trying again, polling goes on meanwhile");
        }
        return wait;
    }

    private void recovered() {
        if (queueFailing) {
            progress.info("notification queue " + queueUrl + ": listening again");
        }
        queueFailing = false;
        failuresInARow = 0;
        reported = null;
        status.updateAndGet(QueueStatus::listening);
    }

    private void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        synchronized (pause) {
            long left;
            while (!closed && (left = until - System.nanoTime()) > 0) {
                try {
                    pause.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The queue and the reason, in words, with AWS's code and message (never a request parameter). */
    static String describe(String queueUrl, RuntimeException e) {
        String code = AwsErrors.code(e) == null ? "" : AwsErrors.code(e);
        String why;
        if (e instanceof QueueDoesNotExistException || GONE.contains(code)) {
            why = "the queue does not exist";
        } else if (DENIED.contains(code) || (e instanceof AwsServiceException a && a.statusCode() == 403)) {
            why = "access denied: the factory's credentials need sqs:ReceiveMessage, sqs:DeleteMessage and "
                    + "sqs:GetQueueAttributes on it";
        } else if (code.startsWith("KMS.")) {
            why = "the queue's KMS key refuses these credentials (kms:Decrypt)";
        } else if (AwsErrors.isTransient(e)) {
            why = "SQS cannot be reached now";
        } else {
            why = "cannot be read";
        }
        return "notification queue " + queueUrl + ": " + why + " (" + AwsErrors.describe(e) + ")";
    }
}
