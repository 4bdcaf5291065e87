package io.amifactory.engine.track.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.testkit.FakeClients;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.CheckResult;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.ReleaseEvent;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a message makes the watch do, with in-memory SSM and SQS: the decisions, without the threads' timing. */
class WatcherTest {
    private static final String REGION = "us-east-1";
    private static final String Q1 = "https://sqs.us-east-1.amazonaws.com/123456789012/al2023-updates";
    private static final String Q2 = "https://sqs.eu-west-1.amazonaws.com/123456789012/vendor-updates";

    @TempDir
    Path dir;
    FakeClients aws;
    Tracker tracker;
    final List<String> reports = Collections.synchronizedList(new ArrayList<>());
    List<TrackedImage> images;

    private static TrackedImage image(String name, String queue) {
        return new TrackedImage(name, new ImageSource.Parameter("/up/" + name), List.of(REGION), null, null, queue);
    }

    private void release(String name, String ami) {
        aws.ssmFake(REGION).parameter("/up/" + name, ami);
        aws.ec2Fake(REGION).image(ami, name + "-" + ami, "2026-12-0" + ami.charAt(ami.length() - 1) + "T00:00:00.000Z", "amazon");
    }

    @BeforeEach
    void setUp() {
        aws = new FakeClients();
        aws.sqs.queue(Q1).queue(Q2);
        tracker = new Tracker(aws, new Ledger(dir.resolve("state.json")), line -> { });
        images = List.of(image("al2023", Q1), image("al2023-arm", Q1), image("vendor", Q2), image("plain", null));
        for (TrackedImage i : images) {
            release(i.name(), "ami-0000000" + (images.indexOf(i) * 2 + 1));
        }
    }

    private Watcher watcher(Watcher.Output output) {
        return new Watcher(tracker, images, List.of(REGION), Duration.ofHours(1), aws, REGION, output, null,
                Clock.systemUTC());
    }

    private void record(CheckReport r, Watcher.Via via, String queue) {
        List<String> released = r.events().stream().map(e -> e.trackedImage() + "=" + e.imageId()).toList();
        List<String> checked = r.results().stream().map(CheckResult::image).toList();
        reports.add(via.label() + (queue == null ? "" : " " + queue.substring(queue.lastIndexOf('/') + 1))
                + " checked " + checked + " released " + released);
    }

    @Test
    void aMessageChecksOnlyTheImagesNamingItsQueueAndEachReleaseFiresOnce() throws Exception {
        Watcher w = watcher(this::record);
        w.check(images, Watcher.Via.POLL, null);
        release("al2023", "ami-00000009");
        release("vendor", "ami-00000008");

        QueueListener l1 = new QueueListener(aws.sqs, Q1, w::pushed, null, Clock.systemUTC());
        aws.sqs.send(Q1, "{\"Type\":\"Notification\",\"Message\":\"new AL2023 AMIs\"}");
        l1.pollOnce();
        assertEquals(List.of(
                "poll checked [al2023, al2023-arm, vendor, plain] released []",
                "push al2023-updates checked [al2023, al2023-arm] released [al2023=ami-00000009]"), reports);
        assertEquals(0, aws.sqs.messages(Q1));

        w.check(images, Watcher.Via.POLL, null);
        assertEquals("poll checked [al2023, al2023-arm, vendor, plain] released [vendor=ami-00000008]", reports.get(2),
                "the vendor release comes with the next poll: its queue got no message; al2023 is not fired again");
    }

    @Test
    void repeatedGarbledAndForgedMessagesFireNothingAndAreDeleted() throws Exception {
        Watcher w = watcher(this::record);
        w.check(images, Watcher.Via.POLL, null);
        release("al2023", "ami-00000009");
        QueueListener l1 = new QueueListener(aws.sqs, Q1, w::pushed, null, Clock.systemUTC());
        aws.sqs.send(Q1, "{\"Message\":\"new\"}");
        l1.pollOnce();
        aws.sqs.send(Q1, "{\"Message\":\"new\"}");            // SNS delivers at least once
        aws.sqs.send(Q1, "\u0000\u00ff not json {{{");         // garbled
        aws.sqs.send(Q1, "{\"image_id\":\"ami-0badbadbadbadbad0\"}"); // forged: names an AMI nobody released
        l1.pollOnce();
        assertEquals(List.of(
                "poll checked [al2023, al2023-arm, vendor, plain] released []",
                "push al2023-updates checked [al2023, al2023-arm] released [al2023=ami-00000009]",
                "push al2023-updates checked [al2023, al2023-arm] released []"), reports,
                "three messages, one check, nothing new");
        assertEquals(0, aws.sqs.messages(Q1));
        assertEquals("ami-00000009", tracker.check(images, List.of(REGION)).results().get(0).imageId());
    }

    @Test
    void messagesAreDeletedOnlyAfterTheLedgerRecordedTheRelease() throws Exception {
        List<String> seenInOutput = new ArrayList<>();
        Watcher w = watcher((r, via, q) -> {
            try {
                seenInOutput.add(via.label() + ": state file has ami-00000009 = "
                        + Files.readString(dir.resolve("state.json")).contains("ami-00000009")
                        + ", messages still in the queue = " + aws.sqs.messages(Q1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        w.check(images, Watcher.Via.POLL, null);
        release("al2023", "ami-00000009");
        aws.sqs.send(Q1, "hint");
        new QueueListener(aws.sqs, Q1, w::pushed, null, Clock.systemUTC()).pollOnce();
        assertEquals("push: state file has ami-00000009 = true, messages still in the queue = 1", seenInOutput.get(1));
        assertEquals(0, aws.sqs.messages(Q1));
        assertEquals(List.of(), tracker.pendingEvents(), "delivered: acknowledged after the output took it");
    }

    @Test
    void aReleaseWhoseOutputFailedIsHandedOutAgainAndItsMessageComesBack() throws Exception {
        boolean[] fail = {false};
        Watcher w = watcher((r, via, q) -> {
            record(r, via, q);
            if (fail[0]) {
                throw new IllegalStateException("stdout closed");
            }
        });
        w.check(images, Watcher.Via.POLL, null);
        release("al2023", "ami-00000009");
        fail[0] = true;
        QueueListener l1 = new QueueListener(aws.sqs, Q1, w::pushed, null, Clock.systemUTC());
        aws.sqs.send(Q1, "hint");
        l1.pollOnce();
        assertEquals(1, aws.sqs.messages(Q1), "kept: the release was not delivered");
        List<ReleaseEvent> pending = tracker.pendingEvents();
        assertEquals("ami-00000009", pending.get(0).imageId(), "still in the outbox");
        fail[0] = false;
        aws.sqs.showAgain(Q1);
        l1.pollOnce();
        assertEquals("push al2023-updates checked [al2023, al2023-arm] released [al2023=ami-00000009]",
                reports.get(reports.size() - 1), "handed out again, still as one release");
        assertEquals(0, aws.sqs.messages(Q1));
        assertEquals(List.of(), tracker.pendingEvents());
    }

    @Test
    void aQueueThatIsGoneDoesNotStopPollingAndEachQueueHasOneListener() throws Exception {
        aws.sqs.gone(Q2);
        CountDownLatch firstPoll = new CountDownLatch(1);
        Watcher w = watcher((r, via, q) -> {
            record(r, via, q);
            firstPoll.countDown();
        });
        Thread t = new Thread(() -> {
            try {
                w.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertTrue(firstPoll.await(30, TimeUnit.SECONDS), "the first poll ran");
        // the gone queue's listener reports its error in its status while polls go on
        String error = null;
        for (int i = 0; i < 300 && error == null; i++) {
            error = w.queueStatuses().get(1).lastError();
            Thread.sleep(100);
        }
        assertEquals("notification queue " + Q2 + ": the queue does not exist (AWS.SimpleQueueService.NonExistentQueue: "
                + "The specified queue does not exist.)", error);
        w.stop();
        t.join(30_000);
        assertTrue(!t.isAlive(), "stopped");
        assertEquals(List.of(Q1, Q2), w.queueStatuses().stream().map(QueueStatus::queueUrl).toList(),
                "two queues, two listeners, for three images naming them");
        assertEquals(java.util.Set.of(REGION, "eu-west-1"), aws.sqsRegions, "each queue read in its own region");
        assertEquals("poll checked [al2023, al2023-arm, vendor, plain] released []", reports.get(0));
        assertThrows(IllegalStateException.class, () -> w.check(images, Watcher.Via.PUSH, Q1),
                "a stopped watch checks nothing more");
    }
}
