package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.SpecDurations;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A build as an explicit state machine (the model is Packer's multistep runner): phases run in order, and
 * when the build ends, for whatever reason, the cleanups of the phases that started run in reverse. Nothing
 * here blocks: {@link #step()} does one bounded piece of work and says when to call again; the caller (the
 * CLI's loop, a Jenkins timer) does the waiting. Everything needed to continue lives in the {@link BuildRecord},
 * saved after every transition, so a new machine over a saved record continues where the old one stopped.
 *
 * <pre>{@code
 * BuildRecord record = BuildRecord.start(spec, "cli", clock);
 * BuildMachine machine = new BuildMachine(spec, record, services, progress, clock);
 * Step s;
 * while (!(s = machine.step()).isDone()) sleep(s.pollAfter());
 * BuildResult result = s.result();
 * }</pre>
 *
 * <p>Thread safety: {@code step()} is called by one driver at a time; {@link #abort} may be called from any
 * thread at any time (a Ctrl-C hook, Jenkins' stop) and takes effect at once when no step is running, else
 * when the running step returns.
 *
 * <p>Interrupts: an interrupt of the thread running {@code step()} (Jenkins shutting down) means "stop here,
 * resume later", never "fail and clean up". The step throws {@link BuildInterruptedException} without counting
 * an error, saving or unwinding, and the record goes back to the last save, so that this machine stepped again,
 * or a new one over the saved record, carries on from there. Whether an interrupt should also abort the build
 * is the driver's decision ({@link BuildDriver} aborts).
 */
public final class BuildMachine {
    /** How long cleanups may keep retrying before what is left is reported (and left to the reaper). */
    static final Duration CLEANUP_BUDGET = Duration.ofMinutes(20);
    /** Transient errors in a row (throttling, 5xx, network) a phase survives before the build fails. */
    static final int MAX_ERRORS_IN_A_ROW = 8;
    /** Final errors a cleanup retries before it reports what it could not remove. */
    static final int MAX_CLEANUP_ERRORS = 5;

    private final BuildSpec spec;
    private final BuildServices services;
    private final ProgressListener progress;
    private final Clock clock;
    private final List<Phase> phases = new ArrayList<>();
    // Both replaced by the last saved state when a step is interrupted (guarded by the lock).
    private BuildRecord record;
    private BuildContext ctx;
    /** The record as the store last accepted it: where an interrupted step goes back to. */
    private String lastSaved;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile String abortRequest;
    private boolean saveWarned;

    /**
     * A machine for a new build ({@link BuildRecord#start}) or one to resume (a saved record of the same spec).
     */
    public BuildMachine(BuildSpec spec, BuildRecord record, BuildServices services, ProgressListener progress,
            Clock clock) {
        this(Objects.requireNonNull(spec, "spec"), record, services, progress, clock, null);
    }

    private BuildMachine(BuildSpec spec, BuildRecord record, BuildServices services, ProgressListener progress,
            Clock clock, String abortReason) {
        this.spec = spec;
        this.record = Objects.requireNonNull(record, "record");
        this.services = Objects.requireNonNull(services, "services");
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (spec != null && (!spec.name().equals(record.name) || !spec.region().equals(record.region))) {
            throw new IllegalArgumentException("the record is of build " + record.name + " in " + record.region
                    + ", not of " + spec.name() + " in " + spec.region());
        }
        if (record.phases.isEmpty()) {
            if (spec == null) {
                throw new IllegalArgumentException("a new build needs its spec");
            }
            record.phases.addAll(Phases.plan(spec, record.dryRun || spec.dryRun()));
            record.dryRun = record.dryRun || spec.dryRun();
        }
        for (String name : record.phases) {
            phases.add(Phases.byName(name));
        }
        this.ctx = new BuildContext(spec, record, services, this.progress, clock, this::save);
        this.lastSaved = record.toJson();
        this.abortRequest = abortReason;
    }

    /**
     * A machine that only cleans up: for a build whose spec is gone or changed. Running phases are not
     * continued; the cleanups of every phase that started run as for an abort.
     */
    public static BuildMachine forCleanup(BuildRecord record, BuildServices services, ProgressListener progress,
            Clock clock, String reason) {
        return new BuildMachine(null, record, services, progress, clock, reason == null ? "cleanup requested" : reason);
    }

    /**
     * Does one bounded piece of work. Call again after {@link Step#pollAfter()} until {@link Step#isDone()}.
     *
     * @throws BuildInterruptedException when the thread is (or gets) interrupted: stop stepping; the build
     *         continues from its saved record later
     */
    public Step step() {
        lock.lock();
        try {
            if (record.state != BuildRecord.State.FINISHED && Thread.currentThread().isInterrupted()) {
                throw interrupted(null);
            }
            applyAbortRequest();
            return switch (record.state) {
                case FINISHED -> Step.done(BuildResult.of(record));
                case RUNNING -> runStep();
                case UNWINDING -> cleanupStep();
            };
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the build: the running phase is abandoned and the cleanups run on the following steps (keep
     * calling {@link #step()}). Ignored once the build is already ending.
     */
    public void abort(String reason) {
        abortRequest = reason == null || reason.isBlank() ? "aborted" : reason;
        if (lock.tryLock()) {
            try {
                applyAbortRequest();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A copy of the record as it stands. */
    public BuildRecord record() {
        lock.lock();
        try {
            return record.copy();
        } finally {
            lock.unlock();
        }
    }

    public String buildId() {
        return record.buildId;
    }

    public String name() {
        return record.name;
    }

    // ---- running

    private Step runStep() {
        Instant now = clock.instant();
        if (record.phasesStarted == 0) {
            record.startClock(now);
        }
        if (!now.isBefore(record.deadline())) {
            Duration timeout = Duration.between(record.startedAt(), record.deadline());
            beginUnwind(BuildStatus.TIMED_OUT, "timed out after " + SpecDurations.format(timeout) + " in phase "
                    + record.currentPhase(), record.currentPhase());
            return Step.after(Duration.ZERO);
        }
        Phase phase = phases.get(record.phase);
        ctx.label(phase.name());
        if (record.phasesStarted <= record.phase) {
            record.phasesStarted = record.phase + 1;
            record.phaseStartedAt = now.toString();
            record.polls = 0;
            record.errorsInARow = 0;
            save();
        }
        PhaseResult result;
        try {
            result = phase.run(ctx);
        } catch (SourceResolver.SourceNotFoundException e) {
            result = PhaseResult.fail(e.getMessage());
        } catch (RuntimeException e) {
            if (AwsErrors.isInterruption(e)) {
                throw interrupted(e);
            }
            if (AwsErrors.isTransient(e) && ++record.errorsInARow <= MAX_ERRORS_IN_A_ROW) {
                Duration wait = ctx.backoff(BuildContext.SLOW_CAP);
                record.polls++;
                ctx.info("AWS answered " + AwsErrors.describe(e) + "; trying again in " + wait.toSeconds() + " s");
                save();
                return Step.after(capToDeadline(wait));
            }
            result = PhaseResult.fail(AwsErrors.isTransient(e)
                    ? "gave up after " + MAX_ERRORS_IN_A_ROW + " attempts: " + AwsErrors.describe(e)
                    : AwsErrors.describe(e));
        }
        switch (result.kind) {
            case DONE -> {
                record.phase++;
                record.polls = 0;
                record.errorsInARow = 0;
                if (record.phase >= phases.size()) {
                    beginUnwind(record.dryRun ? BuildStatus.DRY_RUN : BuildStatus.SUCCEEDED, null, null);
                } else {
                    save();
                }
                return Step.after(Duration.ZERO);
            }
            case POLL -> {
                record.polls++;
                record.errorsInARow = 0;
                save();
                return Step.after(capToDeadline(result.after));
            }
            default -> {
                beginUnwind(BuildStatus.FAILED, result.message, phase.name());
                return Step.after(Duration.ZERO);
            }
        }
    }

    /** Never sleep past the deadline: a timeout is noticed when it happens, not a poll later. */
    private Duration capToDeadline(Duration wait) {
        Duration left = Duration.between(clock.instant(), record.deadline());
        if (left.isNegative() || left.isZero()) {
            return Duration.ZERO;
        }
        return wait.compareTo(left) > 0 ? left : wait;
    }

    private void beginUnwind(BuildStatus outcome, String error, String failedPhase) {
        record.state = BuildRecord.State.UNWINDING;
        record.outcome = outcome;
        record.error = error;
        record.failedPhase = failedPhase;
        record.unwindStartedAt = clock.instant().toString();
        record.cleanup = record.phasesStarted - 1;
        record.polls = 0;
        record.errorsInARow = 0;
        ctx.label("");
        switch (outcome) {
            case SUCCEEDED -> ctx.info("image ready; finishing");
            case DRY_RUN -> ctx.info("dry run complete; nothing was created");
            case FAILED -> progress.warn(prefixless("FAILED in phase " + failedPhase + ": " + error + "; cleaning up"));
            case ABORTED, TIMED_OUT -> progress.warn(prefixless(error + "; cleaning up"));
        }
        save();
    }

    private String prefixless(String message) {
        return "[" + record.name + " " + ctx.elapsed() + "] " + message;
    }

    private void applyAbortRequest() {
        String reason = abortRequest;
        if (reason == null) {
            return;
        }
        abortRequest = null;
        if (record.state == BuildRecord.State.RUNNING) {
            beginUnwind(BuildStatus.ABORTED, "aborted: " + reason, record.currentPhase());
        }
    }

    // ---- cleaning up

    private Step cleanupStep() {
        if (record.cleanup < 0) {
            finish();
            return Step.done(BuildResult.of(record));
        }
        Phase phase = phases.get(record.cleanup);
        ctx.label("cleanup " + phase.name());
        boolean overBudget = !clock.instant().isBefore(record.instant(record.unwindStartedAt).plus(CLEANUP_BUDGET));
        PhaseResult result;
        try {
            result = phase.cleanup(ctx);
        } catch (RuntimeException e) {
            if (AwsErrors.isInterruption(e)) {
                throw interrupted(e);
            }
            record.errorsInARow++;
            boolean giveUp = overBudget || (!AwsErrors.isTransient(e) && record.errorsInARow >= MAX_CLEANUP_ERRORS);
            if (!giveUp) {
                Duration wait = ctx.backoff(BuildContext.SLOW_CAP);
                record.polls++;
                ctx.info("cleanup attempt failed (" + AwsErrors.describe(e) + "); trying again in "
                        + wait.toSeconds() + " s");
                save();
                return Step.after(wait);
            }
            result = PhaseResult.fail(AwsErrors.describe(e));
        }
        if (result.kind == PhaseResult.Kind.POLL && overBudget) {
            result = PhaseResult.fail("still not finished after " + SpecDurations.format(CLEANUP_BUDGET));
        }
        switch (result.kind) {
            case POLL -> {
                record.polls++;
                save();
                return Step.after(result.after);
            }
            case FAIL -> {
                List<String> left = phase.leftovers(ctx);
                if (left.isEmpty()) {
                    record.leftovers.add("cleanup of " + phase.name() + ": " + result.message);
                } else {
                    for (String l : left) {
                        record.leftovers.add(l + " (" + result.message + ")");
                    }
                }
                progress.warn(prefixless("could not clean up after " + phase.name() + ": " + result.message));
            }
            default -> {
            }
        }
        record.cleanup--;
        record.polls = 0;
        record.errorsInARow = 0;
        save();
        return Step.after(Duration.ZERO);
    }

    private void finish() {
        record.state = BuildRecord.State.FINISHED;
        record.finishedAt = clock.instant().toString();
        ctx.label("");
        BuildResult r = BuildResult.of(record);
        StringBuilder b = new StringBuilder(r.status().label());
        if (r.status() == BuildStatus.SUCCEEDED) {
            List<String> where = new ArrayList<>();
            r.images().forEach((region, id) -> where.add(id + " in " + region));
            b.append(": ").append(String.join(", ", where));
        } else if (r.status() == BuildStatus.DRY_RUN) {
            b.append(": no problems found");
        } else if (r.error() != null) {
            b.append(": ").append(r.error());
        }
        if (!record.leftovers.isEmpty()) {
            b.append("; LEFT BEHIND: ").append(String.join("; ", record.leftovers));
            progress.warn(prefixless(b.toString()));
        } else {
            if (r.status() != BuildStatus.SUCCEEDED && r.status() != BuildStatus.DRY_RUN && !record.dryRun) {
                b.append("; everything the build created was removed");
            }
            progress.info(prefixless(b.toString()));
        }
        save();
    }

    private void save() {
        try {
            services.store().save(record);
            lastSaved = record.toJson();
        } catch (RuntimeException e) {
            if (AwsErrors.isInterruption(e)) {
                throw interrupted(e); // a file store writing while interrupted: ClosedByInterruptException
            }
            if (!saveWarned) {
                saveWarned = true;
                progress.warn(prefixless("could not save the build state (" + e.getMessage()
                        + "); the build goes on, but cannot be resumed if this process dies"));
            }
        }
    }

    // ---- interrupts

    /**
     * Stops the step at an interrupt: nothing more is done or saved, the record goes back to the last save (what
     * a new machine would start from), and the thread's interrupt flag is set again (a caught
     * InterruptedException cleared it) so that the caller's own waits end too.
     */
    private BuildInterruptedException interrupted(Throwable cause) {
        Thread.currentThread().interrupt();
        if (cause instanceof BuildInterruptedException already) {
            return already; // from a save inside the phase: the record is back already
        }
        boolean cleaningUp = record.state != BuildRecord.State.RUNNING;
        String phase = !cleaningUp ? record.currentPhase()
                : record.state == BuildRecord.State.UNWINDING && record.cleanup >= 0 ? phases.get(record.cleanup).name()
                : null;
        String where = BuildInterruptedException.where(phase, cleaningUp);
        progress.info(prefixless("interrupted " + where + "; stopping here, nothing undone (the build continues "
                + "from its saved record)"));
        record = BuildRecord.fromJson(lastSaved);
        ctx = new BuildContext(spec, record, services, progress, clock, this::save);
        return new BuildInterruptedException(record.name, record.buildId, phase, cleaningUp, cause);
    }
}
