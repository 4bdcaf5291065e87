package io.amifactory.engine.track.push;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Watches tracked images until stopped: a check of every image at once and then every {@code interval}, and in
 * between, a check of the images that name a notification queue as soon as a message arrives there
 * ({@link QueueListeners}). Checks never overlap. Each check's report goes to an {@link Output}; when that
 * returns, the report's release events are acknowledged (delivered) and, for a push, the queue's messages are
 * deleted — so a crash at any point loses no release and fires none twice (the {@link Tracker}'s ledger decides
 * what is new).
 */
public final class Watcher {
    /** What started a check. */
    public enum Via {
        POLL, PUSH;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Receives every check's report; returning means its events were delivered. */
    @FunctionalInterface
    public interface Output {
        /** @param queueUrl the queue whose message started the check, or null for a poll */
        void report(CheckReport report, Via via, String queueUrl);
    }

    private final Tracker tracker;
    private final List<TrackedImage> images;
    private final List<String> defaultRegions;
    private final Duration interval;
    private final ClientSource clients;
    private final String queueRegion;
    private final Output output;
    private final ProgressListener progress;
    private final Clock clock;
    private final Map<String, List<TrackedImage>> byQueue;
    private final Object checkLock = new Object();
    private final Object wake = new Object();
    private volatile boolean stopped;
    private volatile QueueListeners active;
    private volatile List<QueueStatus> lastStatuses = List.of();

    /**
     * @param clients     the factory's own clients, for the queues
     * @param queueRegion the SQS region for queue URLs that name none (an emulator's)
     */
    public Watcher(Tracker tracker, List<TrackedImage> images, List<String> defaultRegions, Duration interval,
            ClientSource clients, String queueRegion, Output output, ProgressListener progress, Clock clock) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.images = List.copyOf(images);
        this.defaultRegions = defaultRegions == null ? List.of() : List.copyOf(defaultRegions);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.queueRegion = Objects.requireNonNull(queueRegion, "queueRegion");
        this.output = Objects.requireNonNull(output, "output");
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.byQueue = QueueListeners.imagesByQueue(this.images);
    }

    /** The queues the images name, each with the images that name it. */
    public Map<String, List<TrackedImage>> queues() {
        return byQueue;
    }

    /**
     * Runs until {@link #stop()} (returns) or an interrupt (throws). A poll check that cannot record its outcome
     * (the state file) ends the watch with that error; a failed push check only leaves its messages in the queue.
     */
    public void run() throws InterruptedException {
        QueueListeners queues = new QueueListeners(clients, queueRegion, this::pushed, progress, clock);
        synchronized (this) {
            if (stopped) {
                return;
            }
            active = queues;
        }
        try {
            byQueue.forEach((url, named) -> progress.info("listening to notification queue " + url + " for "
                    + names(named)));
            queues.listenTo(byQueue.keySet());
            Instant next = clock.instant();
            while (waitUntil(next)) {
                next = clock.instant().plus(interval);
                check(images, Via.POLL, null);
            }
        } finally {
            stop(); // closes the listeners, keeping their last statuses
        }
    }

    /** Ends {@link #run()} after the check under way, if any; safe from any thread. */
    public synchronized void stop() {
        stopped = true;
        QueueListeners queues = active;
        active = null;
        if (queues != null) {
            lastStatuses = queues.statuses().stream().map(QueueStatus::stopped).toList();
            queues.close();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Each queue's status: live while running, as it was at the end afterwards. */
    public List<QueueStatus> queueStatuses() {
        QueueListeners queues = active;
        return queues != null ? queues.statuses() : lastStatuses;
    }

    /** A batch of messages from {@code queueUrl}: check the images that name it, now. */
    void pushed(String queueUrl, int messages) throws InterruptedException {
        List<TrackedImage> named = byQueue.getOrDefault(queueUrl, List.of());
        progress.info("notification queue " + queueUrl + ": " + messages + " message(s); checking " + names(named));
        check(named, Via.PUSH, queueUrl);
    }

    /** One check, never two at once: the report goes out, then its events are acknowledged. */
    void check(List<TrackedImage> which, Via via, String queueUrl) throws InterruptedException {
        synchronized (checkLock) {
            if (stopped) {
                throw new IllegalStateException("the watch is stopping");
            }
            CheckReport report;
            try {
                report = tracker.check(which, defaultRegions);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted during a check");
                }
                throw e;
            }
            output.report(report, via, queueUrl);
            report.events().forEach(e -> tracker.acknowledge(e.id()));
        }
    }

    /** Waits until {@code at}; false when stopped first. */
    private boolean waitUntil(Instant at) throws InterruptedException {
        synchronized (wake) {
            while (!stopped) {
                long ms = Duration.between(clock.instant(), at).toMillis();
                if (ms <= 0) {
                    return true;
                }
                wake.wait(ms);
            }
        }
        return false;
    }

    private static String names(List<TrackedImage> images) {
        return images.stream().map(TrackedImage::name).collect(Collectors.joining(", "));
    }
}
