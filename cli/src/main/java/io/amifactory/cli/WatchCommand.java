package io.amifactory.cli;

import io.amifactory.engine.build.spec.SpecDurations;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.ReleaseEvent;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesFile;
import io.amifactory.engine.track.Tracker;
import io.amifactory.engine.track.push.QueueStatus;
import io.amifactory.engine.track.push.Watcher;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amifactory watch}: checks the tracked images now and at every interval, and the images that name a
 * notification queue as soon as a message arrives there; prints each release as it is found; runs until
 * stopped.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {
            "Watch the tracked images until stopped: check them now and every --interval, and check the images that "
                    + "name a notificationQueue as soon as a message arrives in it. Prints each release as it is "
                    + "found. Ctrl-C (or SIGTERM) stops it after the check under way.",
            "Exit 130: stopped (Ctrl-C; 143 for SIGTERM); 2: invalid config, usage, no credentials, or a state file "
                    + "that cannot be read or written; 1: an unexpected failure."
        })
public final class WatchCommand implements Callable<Integer> {
    /** How long Ctrl-C waits for the check under way to finish and be printed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(60);
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    static final Duration MAX_INTERVAL = Duration.ofHours(24);
    private static final String[] HEADER = {"DETECTED", "VIA", "IMAGE", "REGION", "AMI ID", "PREVIOUS", "AMI NAME"};

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Option(names = "--json", description = "Print each release as a JSON line (the release event of docs/tracking.md).")
    boolean json;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "15m",
            description = "How often every image is checked, 1m to 24h (15m, 1h, PT30M). Default: ${DEFAULT-VALUE}.")
    String interval;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration every = interval();
        TrackedImagesFile file = tracking.load();
        CountDownLatch finished = new CountDownLatch(1);
        Watcher[] running = new Watcher[1];
        // Ctrl-C or SIGTERM: let the check under way finish and be printed, then stop (the JVM exits with 130/143).
        Thread hook = new Thread(() -> {
            if (running[0] != null) {
                running[0].stop();
            }
            try {
                finished.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "amifactory-watch-stop");
        try (AwsOptions closing = aws) {
            TrackingOptions.Plan plan = tracking.plan(file, aws);
            var clients = aws.clients();
            clients.verifyCredentials();
            Tracker tracker = new Tracker(clients, new Ledger(tracking.stateFile(aws)), line -> {
                err.println(line);
                err.flush();
            });
            int[] widths = widths(plan);
            Watcher watcher = new Watcher(tracker, plan.images(), plan.defaultRegions(), every, clients,
                    queueRegion(plan), (report, via, queue) -> print(out, widths, report, via), line -> {
                        err.println(line);
                        err.flush();
                    }, Clock.systemUTC());
            running[0] = watcher;
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("Watching " + plan.images().size() + " tracked image(s): every " + SpecDurations.format(every)
                    + ", and at once on a message in " + watcher.queues().size() + " notification queue(s)");
            err.flush();
            if (!json) {
                out.println(Table.line(widths, HEADER));
                out.flush();
            }
            try {
                watcher.run();
            } catch (InterruptedException e) {
                watcher.stop();
            }
            summary(err, watcher.queueStatuses());
            return ExitCode.STOPPED;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotAdded) {
                // the hook runs (and waited for this), or it was never added
            }
        }
    }

    private Duration interval() {
        Duration d = SpecDurations.parse(interval);
        if (d == null) {
            throw new UsageException("--interval: '" + interval + "' is not a duration (like 15m, 1h or PT30M)");
        }
        if (d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(MAX_INTERVAL) > 0) {
            throw new UsageException("--interval: must be 1m to 24h, not " + interval
                    + " (a message on a notification queue is what makes a check sooner)");
        }
        return d;
    }

    /** The SQS region for queue URLs that name none (an emulator's): the sandbox's, or the configuration's. */
    private String queueRegion(TrackingOptions.Plan plan) {
        List<String> configured = aws.defaultRegions(List.of());
        if (!configured.isEmpty()) {
            return configured.get(0);
        }
        return plan.defaultRegions().isEmpty() ? AwsOptions.SANDBOX_REGION : plan.defaultRegions().get(0);
    }

    private void print(PrintWriter out, int[] widths, CheckReport report, Watcher.Via via) {
        for (ReleaseEvent e : report.events()) {
            out.println(json ? e.toJson() : Table.line(widths, e.detectedAt().toString(), via.label(), e.trackedImage(),
                    e.region(), e.imageId(), e.previousImageId() == null ? "-" : e.previousImageId(),
                    e.imageName() == null ? "-" : e.imageName()));
        }
        out.flush();
        if (out.checkError()) {
            // not delivered: the events stay in the outbox, the messages in their queue
            throw new IllegalStateException("standard output is closed");
        }
    }

    private static int[] widths(TrackingOptions.Plan plan) {
        int image = Stream.concat(Stream.of("IMAGE"), plan.images().stream().map(TrackedImage::name))
                .mapToInt(String::length).max().orElse(5);
        int region = Stream.concat(Stream.concat(Stream.of("REGION"), plan.defaultRegions().stream()),
                plan.images().stream().flatMap(i -> i.regions().stream())).mapToInt(String::length).max().orElse(6);
        return new int[] {24, 4, image, region, 21, 21, 0};
    }

    private static void summary(PrintWriter err, List<QueueStatus> queues) {
        for (QueueStatus q : queues) {
            err.println("notification queue " + q.queueUrl() + ": " + q.messages() + " message(s)"
                    + (q.lastMessageAt() == null ? "" : ", the last at " + q.lastMessageAt()));
            if (q.lastError() != null) {
                err.println("  last error, at " + q.lastErrorAt() + ": " + q.lastError());
            }
        }
        err.println("amifactory watch: stopped");
        err.flush();
    }
}
