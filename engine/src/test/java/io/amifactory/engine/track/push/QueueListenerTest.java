package io.amifactory.engine.track.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.testkit.CallLog;
import io.amifactory.engine.testkit.FakeSqs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One queue's listener, one long poll at a time ({@code pollOnce}), against an in-memory SQS. */
class QueueListenerTest {
    private static final String URL = "https://sqs.us-east-1.amazonaws.com/123456789012/ami-updates";
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final CallLog log = new CallLog();
    private final FakeSqs sqs = new FakeSqs(log).queue(URL);
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final ProgressListener progress = new ProgressListener() {
        @Override
        public void info(String line) {
            lines.add("info: " + line);
        }

        @Override
        public void warn(String line) {
            lines.add("warn: " + line);
        }
    };

    private QueueListener listener(QueueListener.Handler handler) {
        return new QueueListener(sqs, URL, handler, progress, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aBatchIsHandedOverOnceAndDeletedOnlyAfterTheHandlerReturned() {
        List<String> order = new ArrayList<>();
        QueueListener l = listener((url, n) -> {
            order.add("handled " + n + " from " + url + " with " + sqs.messages(URL) + " still in the queue");
            log.record("handled");
        });
        assertEquals(QueueStatus.State.STARTING, l.status().state());
        sqs.send(URL, "{\"v1\":\"first\"}");
        sqs.send(URL, "{\"v1\":\"second\"}");
        assertEquals(Duration.ZERO, l.pollOnce());
        assertEquals(List.of("handled 2 from " + URL + " with 2 still in the queue"), order);
        assertEquals(List.of("getQueueAttributes", "receiveMessage", "handled", "deleteMessageBatch"), log.calls());
        assertEquals(0, sqs.messages(URL), "deleted once handled");
        QueueStatus s = l.status();
        assertEquals(QueueStatus.State.LISTENING, s.state());
        assertEquals(2, s.messages());
        assertEquals(NOW, s.lastMessageAt());
        assertNull(s.lastError());

        log.clear();
        assertEquals(Duration.ZERO, l.pollOnce());
        assertEquals(List.of("receiveMessage"), log.calls(), "an empty long poll hands nothing over");
        assertEquals(1, order.size());
    }

    @Test
    void aFailedCheckLeavesTheMessagesForSqsToShowAgain() {
        boolean[] fail = {true};
        List<Integer> handled = new ArrayList<>();
        QueueListener l = listener((url, n) -> {
            handled.add(n);
            if (fail[0]) {
                throw new IllegalStateException("the state file cannot be written");
            }
        });
        sqs.send(URL, "hint");
        assertEquals(QueueListener.FIRST_RETRY, l.pollOnce());
        assertEquals(1, sqs.messages(URL), "not deleted: the outcome was not recorded");
        assertEquals(QueueStatus.State.FAILING, l.status().state());
        assertTrue(l.status().lastError().contains("the check after 1 message(s) failed (the state file cannot be written)"),
                l.status().lastError());
        assertEquals(Duration.ZERO, l.pollOnce(), "hidden until SQS shows it again: nothing to do");
        assertEquals(List.of(1), handled);

        fail[0] = false;
        sqs.showAgain(URL);
        assertEquals(Duration.ZERO, l.pollOnce());
        assertEquals(List.of(1, 1), handled);
        assertEquals(0, sqs.messages(URL));
        assertEquals(QueueStatus.State.LISTENING, l.status().state());
        assertNotNull(l.status().lastError(), "the last error stays visible, with its time");
    }

    @Test
    void aQueueThatIsGoneIsReportedOnceByNameAndRetriedWithBackOffUntilItIsBack() {
        QueueListener l = listener((url, n) -> { });
        sqs.gone(URL);
        assertEquals(Duration.ofSeconds(5), l.pollOnce());
        assertEquals(Duration.ofSeconds(10), l.pollOnce());
        assertEquals(Duration.ofSeconds(20), l.pollOnce());
        for (int i = 0; i < 10; i++) {
            l.pollOnce();
        }
        assertEquals(QueueListener.MAX_RETRY, l.pollOnce(), "back-off tops out");
        QueueStatus s = l.status();
        assertEquals(QueueStatus.State.FAILING, s.state());
        assertEquals("notification queue " + URL + ": the queue does not exist (AWS.SimpleQueueService.NonExistentQueue: "
                + "The specified queue does not exist.)", s.lastError());
        assertEquals(List.of("warn: " + s.lastError() + "; trying again, polling goes on meanwhile"), lines,
                "said once, not at every attempt");

        sqs.queue(URL);
        assertEquals(Duration.ZERO, l.pollOnce());
        assertEquals(QueueStatus.State.LISTENING, l.status().state());
        assertEquals("info: notification queue " + URL + ": listening again", lines.get(lines.size() - 1));
    }

    @Test
    void aDeniedQueueSaysWhichPermissionsAreMissing() {
        QueueListener l = listener((url, n) -> { });
        sqs.denied(URL, true);
        l.pollOnce();
        assertEquals("notification queue " + URL + ": access denied: the factory's credentials need sqs:ReceiveMessage, "
                + "sqs:DeleteMessage and sqs:GetQueueAttributes on it (AccessDenied: Access to the resource is denied.)",
                l.status().lastError());
    }

    @Test
    void messageContentNeverReachesTheLogOrTheStatus() {
        QueueListener l = listener((url, n) -> {
            throw new IllegalStateException("boom");
        });
        sqs.send(URL, "{\"token\":\"s3cr3t-value\"}");
        l.pollOnce();
        assertFalse(String.join("\n", lines).contains("s3cr3t"), lines.toString());
        assertFalse(l.status().toString().contains("s3cr3t"));
    }

    @Test
    void aStartedListenerHandsOverOnItsOwnThreadAndStopsWhenClosed() throws Exception {
        java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
        QueueListener l = listener((url, n) -> handled.countDown());
        l.start();
        sqs.send(URL, "hint");
        assertTrue(handled.await(30, java.util.concurrent.TimeUnit.SECONDS), "the listener thread handed the message over");
        l.close();
        assertEquals(QueueStatus.State.STOPPED, l.status().state());
    }

    @Test
    void anInterruptOfTheListenersThreadEndsTheListeningInsteadOfFailingAgainAndAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger receives = new java.util.concurrent.atomic.AtomicInteger();
        software.amazon.awssdk.services.sqs.SqsClient interrupting = new software.amazon.awssdk.services.sqs.SqsClient() {
            @Override
            public software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse getQueueAttributes(
                    software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest r) {
                return sqs.getQueueAttributes(r);
            }

            @Override
            public software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse receiveMessage(
                    software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest r) {
                receives.incrementAndGet();
                throw io.amifactory.engine.testkit.FakeErrors.interrupted();
            }

            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }
        };
        QueueListener l = new QueueListener(interrupting, URL, (url, n) -> { }, progress, Clock.fixed(NOW, ZoneOffset.UTC));
        try {
            l.start();
            io.amifactory.engine.testkit.Eventually.await("the listener stops", () -> l.status().state()
                    == QueueStatus.State.STOPPED, () -> l.status() + ", " + receives.get() + " receives, " + lines);
        } finally {
            l.close();
        }
        assertEquals(1, receives.get(), "no receive after the interrupt");
        assertNull(l.status().lastError(), "the interrupt is not the queue's failure");
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("warn:")), lines.toString());
    }
}
