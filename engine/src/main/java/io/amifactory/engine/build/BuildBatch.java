package io.amifactory.engine.build;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives several builds with bounded concurrency. One build failing does not stop the others;
 * {@link #abortAll} (Ctrl-C) aborts every build, started or queued, and {@link #awaitFinished} waits for
 * their cleanups.
 */
public final class BuildBatch {
    private final int parallelism;
    private final Sleeper sleeper;
    private final List<BuildMachine> machines = new CopyOnWriteArrayList<>();
    private volatile String abortReason;
    private volatile CountDownLatch finished = new CountDownLatch(0);

    public BuildBatch(int parallelism, Sleeper sleeper) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.sleeper = sleeper;
    }

    /** Runs every machine to the end; the results come back in the order of the machines. */
    public List<BuildResult> run(List<BuildMachine> toRun) {
        machines.addAll(toRun);
        finished = new CountDownLatch(toRun.size());
        if (abortReason != null) {
            toRun.forEach(m -> m.abort(abortReason));
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, toRun.size())), r -> {
            Thread t = new Thread(r, "amifactory-build-" + n.incrementAndGet());
            t.setDaemon(false); // a Ctrl-C hook waits for these threads to finish the cleanups
            return t;
        });
        List<Future<BuildResult>> futures = new ArrayList<>();
        try {
            for (BuildMachine m : toRun) {
                futures.add(pool.submit(() -> {
                    try {
                        return BuildDriver.run(m, sleeper);
                    } finally {
                        finished.countDown();
                    }
                }));
            }
            List<BuildResult> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                results.add(await(futures.get(i), toRun.get(i), this));
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private static BuildResult await(Future<BuildResult> f, BuildMachine m, BuildBatch batch) {
        while (true) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                // The builds go on (and clean up) in their own threads; abort them and wait for that.
                batch.abortAll("interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                BuildRecord r = m.record();
                return new BuildResult(r.name(), r.buildId(), BuildStatus.FAILED, null, r.imageName(), null,
                        r.instanceId(), "internal error: " + cause + " (the build can be resumed from its state file)",
                        r.currentPhase(), r.warnings(), r.leftovers());
            }
        }
    }

    /** Aborts every build of this batch; safe from any thread. */
    public void abortAll(String reason) {
        abortReason = reason;
        for (BuildMachine m : machines) {
            m.abort(reason);
        }
        if (sleeper instanceof WakeableSleeper w) {
            w.wakeAll();
        }
    }

    /** Waits until every build of the current run is done (cleanups included); false on timeout. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
