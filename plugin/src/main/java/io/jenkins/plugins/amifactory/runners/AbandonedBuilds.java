package io.jenkins.plugins.amifactory.runners;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.AsyncPeriodicWork;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildDriver;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.Reaper;
import io.amifactory.engine.build.Sleeper;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Cleans up after AMI builds whose Jenkins build ended without them: a Pipeline that could not resume after a
 * crash, a freestyle build cut off by a controller restart, a step that gave up. For every open build
 * ({@link OpenBuilds}) whose Jenkins build is no longer running, the engine's cleanups run from its saved record,
 * as the identity the build ran as (looked up in its build's context, as the build did). Then, per identity and
 * region of those builds, the engine's {@link Reaper} terminates build instances whose expiry has passed (a
 * record that was lost). Its log is {@code $JENKINS_HOME/logs/tasks/ami-factory-reaper.log}.
 */
@Extension
@Restricted(NoExternalUse.class)
public final class AbandonedBuilds extends AsyncPeriodicWork {
    private static final Sleeper SLEEPER = d -> Thread.sleep(Math.max(1, d.toMillis()));

    public AbandonedBuilds() {
        super("ami-factory-reaper");
    }

    @NonNull
    public static AbandonedBuilds get() {
        return ExtensionList.lookupSingleton(AbandonedBuilds.class);
    }

    @Override
    public long getRecurrencePeriod() {
        return TimeUnit.MINUTES.toMillis(10);
    }

    @Override
    protected void execute(TaskListener listener) throws InterruptedException {
        reap(listener);
    }

    /** One pass over the open builds; public for tests and for administrators' scripts. */
    public synchronized void reap(TaskListener listener) throws InterruptedException {
        PrintStream log = listener.getLogger();
        List<Sweep> sweeps = new ArrayList<>();
        for (OpenBuilds.Entry entry : OpenBuilds.all()) {
            try {
                Run<?, ?> run = Run.fromExternalizableId(entry.runId());
                if (run == null) {
                    log.println(entry.runId() + ": the Jenkins build is gone; what its AMI build left carries the tag "
                            + "amifactory:build-id and is terminated once it expires, by a later sweep or amifactory reap");
                    OpenBuilds.remove(entry.key());
                    continue;
                }
                if (run.isBuilding() || OpenBuilds.isDriven(entry.key())) {
                    log.println(run.getFullDisplayName() + ": still running, left to its step");
                    continue;
                }
                BuildFiles files = BuildFiles.of(run, entry.key());
                BuildRecord record = files.record();
                if (record != null && !record.isFinished()) {
                    record = cleanUp(run, files, record, entry.access(), log);
                }
                if (record == null || record.isFinished() && (record.leftovers().isEmpty()
                        || Instant.now().isAfter(record.expiresAt()))) {
                    files.finished();
                }
                sweeps.add(new Sweep(run, entry.access(), entry.region()));
            } catch (RuntimeException e) {
                log.println(entry.runId() + " (" + entry.key() + "): " + e);
            }
        }
        for (Sweep sweep : sweeps) {
            try (AwsClients clients = sweep.access.clients(sweep.run, sweep.region)) {
                for (Reaper.Reaped r : new Reaper(clients, Clock.systemUTC(), log::println)
                        .reap(List.of(sweep.region), false)) {
                    log.println(r.region() + " " + r.instanceId() + " (build " + r.buildId() + "): " + r.action()
                            + (r.detail() == null ? "" : " " + r.detail()));
                }
            } catch (java.io.IOException | RuntimeException e) {
                log.println("expired build instances as " + sweep.access.describe() + ": " + e.getMessage());
            }
        }
    }

    private static BuildRecord cleanUp(Run<?, ?> run, BuildFiles files, BuildRecord record, AwsAccess access,
            PrintStream log) throws InterruptedException {
        log.println(run.getFullDisplayName() + ": build " + record.buildId() + " was left in phase "
                + record.currentPhase() + "; cleaning it up as " + access.describe());
        try (AwsClients clients = access.clients(run, record.region())) {
            BuildMachine machine = BuildMachine.forCleanup(record, AmiBuilds.services(clients, files.store()),
                    log::println, Clock.systemUTC(), "its Jenkins build " + run.getFullDisplayName() + " ended without it");
            BuildResult result = BuildDriver.run(machine, SLEEPER);
            log.println(run.getFullDisplayName() + ": " + AmiBuilds.failure(result));
            return machine.record();
        } catch (java.io.IOException e) {
            log.println(run.getFullDisplayName() + ": cannot clean up build " + record.buildId() + ": " + e.getMessage());
            return record;
        }
    }

    /** The identity (in its build's context) and region of one build, for the expired-instance sweep. */
    private record Sweep(Run<?, ?> run, AwsAccess access, String region) {
    }
}
