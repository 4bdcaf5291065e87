package io.jenkins.plugins.amifactory.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.track.CheckReport;
import io.amifactory.engine.track.CheckResult;
import io.amifactory.engine.track.Ledger;
import io.amifactory.engine.track.ReleaseEvent;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.Tracker;
import io.jenkins.plugins.amifactory.aws.AwsConnector;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The one poller for the whole controller. Ticks every minute and runs a cycle when the configured
 * interval has passed: the engine's tracker checks every tracked image (one check per set of
 * credentials, all sharing the ledger under JENKINS_HOME), then every pending release event is handed
 * to the jobs that want it and only then acknowledged. An event detected just before a crash is still
 * pending after the restart, so none is lost; {@link ReleaseDispatcher} makes the retry schedule nothing
 * twice. Its log is {@code $JENKINS_HOME/logs/tasks/ami-factory-poller.log}.
 */
@Extension
public final class AmiReleasePoller extends AsyncPeriodicWork {
    private volatile long lastCycleMillis;
    /** When the cycle under way started; null when none runs. */
    private volatile Instant cycleStarted;
    /** When the last cycle finished; null before the first one since Jenkins started. */
    private volatile Instant cycleFinished;
    /** When "Check now" asked for a cycle that has not started yet; null when none is waiting. */
    private volatile Instant checkRequested;

    public AmiReleasePoller() {
        super("ami-factory-poller");
    }

    @NonNull
    public static AmiReleasePoller get() {
        return ExtensionList.lookupSingleton(AmiReleasePoller.class);
    }

    @Override
    public long getRecurrencePeriod() {
        return MIN;
    }

    @Override
    protected void execute(TaskListener listener) {
        NotificationQueues.get().follow(AmiFactoryConfiguration.get());
        long interval = TimeUnit.MINUTES.toMillis(AmiFactoryConfiguration.get().getPollIntervalMinutes());
        if (System.currentTimeMillis() - lastCycleMillis >= interval) {
            runCycle(listener);
        }
    }

    /** Makes the next tick (within a minute) run a cycle, whatever the interval. */
    public void requestCycle() {
        lastCycleMillis = 0;
    }

    /**
     * "Check now": a cycle starts at once in the background (its own thread, as every run of this work), or right
     * after the one under way.
     */
    public void checkNow() {
        checkRequested = Instant.now();
        requestCycle();
        doRun();
    }

    /** A "Check now" during a cycle runs another one after it instead of being dropped. */
    @Override
    protected boolean queueIfAlreadyRunning() {
        return true;
    }

    /** When the cycle under way started, or null. */
    @CheckForNull
    public Instant getCycleStarted() {
        return cycleStarted;
    }

    /** When the last cycle finished since Jenkins started, or null. */
    @CheckForNull
    public Instant getCycleFinished() {
        return cycleFinished;
    }

    /** When a "Check now" that has not started yet was asked for, or null. */
    @CheckForNull
    public Instant getCheckRequested() {
        return checkRequested;
    }

    /**
     * One full cycle: check, then dispatch pending events. Runs as SYSTEM whoever calls it: it must see
     * every job, and credentials come from the global store.
     */
    public synchronized void runCycle(TaskListener listener) {
        lastCycleMillis = System.currentTimeMillis();
        checkRequested = null;
        cycleStarted = Instant.now();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            check(listener, image -> true);
        } finally {
            cycleFinished = Instant.now();
            cycleStarted = null;
        }
    }

    /**
     * Checks at once the tracked images that name {@code queueUrl} as their notification queue, and dispatches
     * what is new: what a message on that queue asks for. Returns once the jobs are scheduled.
     */
    public synchronized void checkNotified(String queueUrl, TaskListener listener) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            listener.getLogger().println("Message on " + queueUrl + ": checking the images that name it");
            check(listener, image -> queueUrl.equals(image.getNotificationQueue()));
        }
    }

    private void check(TaskListener listener, Predicate<TrackedImageConfig> which) {
        PrintStream log = listener.getLogger();
        ProgressListener progress = log::println;
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        Ledger ledger = LedgerLocation.open();

        for (Map.Entry<String, List<TrackedImage>> group : groupByCredentials(config, which, log).entrySet()) {
            String credentialsId = group.getKey();
            try (AwsClients clients = AwsConnector.forSystem(credentialsId)) {
                CheckReport report = new Tracker(clients, ledger, progress)
                        .check(group.getValue(), config.getDefaultRegionList());
                for (CheckResult r : report.results()) {
                    log.println(r.image() + " " + r.region() + ": " + r.status()
                            + (r.imageId() == null ? "" : " " + r.imageId())
                            + (r.error() == null ? "" : " (" + r.error() + ")"));
                }
            } catch (RuntimeException e) {
                log.println("Check with credentials '" + (credentialsId.isEmpty() ? "(default chain)" : credentialsId)
                        + "' failed: " + e.getMessage());
            }
        }
        dispatchPending(ledger, progress, listener);
    }

    private static void dispatchPending(Ledger ledger, ProgressListener progress, TaskListener listener) {
        Tracker outbox = new Tracker(LEDGER_ONLY, ledger, progress);
        ReleaseDispatcher dispatcher = new ReleaseDispatcher();
        for (ReleaseEvent event : outbox.pendingEvents()) {
            listener.getLogger().println("New upstream AMI " + event.imageId() + " for " + event.trackedImage()
                    + " in " + event.region() + " (event " + event.id() + ")");
            try {
                int n = dispatcher.dispatch(event, listener);
                outbox.acknowledge(event.id());
                listener.getLogger().println("  " + n + " job(s) scheduled; event acknowledged");
            } catch (RuntimeException e) {
                // Left pending: the next cycle tries again; jobs already scheduled are not scheduled twice.
                listener.getLogger().println("  dispatch failed, will retry: " + e.getMessage());
            }
        }
    }

    /** Effective credentials id ("" = default chain) to the images read with them; bad images are logged. */
    private static Map<String, List<TrackedImage>> groupByCredentials(AmiFactoryConfiguration config,
            Predicate<TrackedImageConfig> which, PrintStream log) {
        Map<String, List<TrackedImage>> groups = new LinkedHashMap<>();
        for (TrackedImageConfig image : config.getTrackedImages()) {
            if (!which.test(image)) {
                continue;
            }
            try {
                TrackedImage engineImage = image.toEngine(config.getTracking());
                groups.computeIfAbsent(image.effectiveCredentialsId(config.getTracking()), k -> new ArrayList<>()).add(engineImage);
            } catch (InputException e) {
                log.println("Skipping tracked image '" + image.getName() + "': " + e.getMessage());
            }
        }
        return groups;
    }

    /** Reading and acknowledging pending events touches only the ledger, never AWS. */
    private static final ClientSource LEDGER_ONLY = new ClientSource() {
        @Override
        public Ec2Client ec2(String region) {
            throw new IllegalStateException("the event outbox does not call AWS");
        }

        @Override
        public SsmClient ssm(String region) {
            throw new IllegalStateException("the event outbox does not call AWS");
        }

        @Override
        public AutoScalingClient autoScaling(String region) {
            throw new IllegalStateException("the event outbox does not call AWS");
        }

        @Override
        public ClientSource forRole(String roleArn, String externalId) {
            return this;
        }
    };
}
