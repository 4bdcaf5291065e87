package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.init.Terminator;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jenkins.util.SystemProperties;
import jenkins.util.Timer;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The threads AMI builds tick on. A tick makes blocking AWS calls (and may write to an agent's log), so it must
 * not run on {@link Timer}, the controller's ten shared threads that also run cron triggers and periodic work:
 * the Timer only counts the delay and hands the tick to this bounded pool.
 *
 * <p>At shutdown the Pipeline programs are saved first; then this pool stops taking ticks and lets the running
 * ones finish for a few seconds. A tick cut short after that is a pause, not a failure: the build's record is on
 * disk and the build resumes after the restart.
 */
@Restricted(NoExternalUse.class)
public final class BuildTicks {
    /** Ticks at once; more builds wait for a free thread (a tick is a few calls, a build mostly waits). */
    static final int THREADS = SystemProperties.getInteger(BuildTicks.class.getName() + ".threads", 4);
    private static final long DRAIN_SECONDS = 10;

    private static volatile boolean closing;
    /** Counts the controller's starts in this JVM (one, but for tests that restart it in place). */
    private static volatile int life;
    private static ExecutorService pool;

    private BuildTicks() {
    }

    static int life() {
        return life;
    }

    /** False for a tick scheduled before the controller restarted in this JVM: that build is resumed anew. */
    static boolean sameLife(int scheduledIn) {
        return scheduledIn == life;
    }

    /** True from the start of the controller's shutdown: no new tick starts. */
    static boolean closing() {
        return closing;
    }

    /**
     * Runs {@code tick} on the build threads after {@code after}, as SYSTEM like any background work.
     *
     * @return null while the controller shuts down (the build resumes after the restart)
     */
    @CheckForNull
    static ScheduledFuture<?> schedule(Runnable tick, Duration after) {
        if (closing) {
            return null;
        }
        return Timer.get().schedule(() -> {
            if (closing) {
                return;
            }
            try {
                pool().execute(() -> {
                    try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                        tick.run();
                    }
                });
            } catch (RejectedExecutionException e) {
                // the pool stopped between the check and now: shutting down, the build resumes after the restart
            }
        }, Math.max(0, after.toMillis()), TimeUnit.MILLISECONDS);
    }

    private static synchronized ExecutorService pool() {
        if (pool == null || pool.isShutdown()) {
            ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), new NamingThreadFactory(new DaemonThreadFactory(), "AMI Factory build tick"));
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }
        return pool;
    }

    @Terminator(displayName = "Pausing AMI builds")
    public static void pauseForShutdown() throws InterruptedException {
        closing = true;
        ExecutorService p;
        synchronized (BuildTicks.class) {
            p = pool;
        }
        if (p != null) {
            p.shutdown();
            if (!p.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                p.shutdownNow(); // the ticks still running see the interrupt and pause
            }
        }
    }

    /** A controller started again in the same JVM (tests) ticks again. */
    @Initializer(after = InitMilestone.PLUGINS_STARTED)
    public static void openAfterStart() {
        life++;
        closing = false;
    }
}
