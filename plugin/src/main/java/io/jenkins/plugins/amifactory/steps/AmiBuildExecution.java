package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.Step;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.progress.ProgressListener;
import io.jenkins.plugins.amifactory.aws.AwsAccess;
import io.jenkins.plugins.amifactory.runners.AmiBuildDocument;
import io.jenkins.plugins.amifactory.runners.AmiBuildRequest;
import io.jenkins.plugins.amifactory.runners.AmiBuilds;
import io.jenkins.plugins.amifactory.runners.BuildFiles;
import io.jenkins.plugins.amifactory.runners.OpenBuilds;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs one build without holding a thread while it waits (the model is {@code SleepStep}): each tick calls the
 * engine's {@link BuildMachine#step()} once on the {@link BuildTicks} threads and schedules the next tick when the
 * engine says.
 *
 * <p>What must survive a crash is on disk before it matters ({@link BuildFiles}): the spec and the record, written
 * before the first AWS call, and the record again by the engine before every call that creates something. The
 * execution itself keeps only the request and the key of those files, so that {@link #onResume()} (or a tick
 * after any error) rebuilds the machine from the record and the build goes on where it was: nothing is launched
 * or imaged twice. A controller shutting down pauses the build; it never fails it.
 *
 * <p>{@link #stop} aborts the build; ticks go on until the cleanups have run, then the step fails with the stop's
 * cause. Validation comes first: a spec the engine refuses fails the step before any AWS call. Once something
 * may exist in AWS, an error (credentials that cannot be read after a restart, the network) never ends the step
 * while the engine could still clean up: ticks retry until the build instance's expiry has passed.
 */
final class AmiBuildExecution extends StepExecution {
    private static final long serialVersionUID = 2L;
    private static final Logger LOGGER = Logger.getLogger(AmiBuildExecution.class.getName());
    /** Errors in a row before the step gives up, while nothing exists in AWS yet. */
    private static final int MAX_FAILED_TICKS = 10;
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);
    private static final Duration REPEAT_ERROR_LOG = Duration.ofMinutes(10);

    private final AmiBuildRequest request;
    private final AwsAccess access;
    private String builtBy;
    /** Names the build's files under the run; given before anything is written. */
    private String key;
    /** The Jenkins build, found without the step's context, which a hard kill leaves unusable. */
    private String runId;
    private volatile String abortReason;
    private volatile Throwable stopCause;

    private transient volatile BuildMachine machine;
    private transient volatile BuildRecord lastRecord;
    private transient BuildSpec spec;
    private transient AwsClients clients;
    private transient ScheduledFuture<?> task;
    private transient long generation;
    /** The controller's life the ticks were scheduled in: a tick left over from before a restart stops. */
    private transient int life;
    private transient boolean ticking;
    private transient boolean wakeRequested;
    private transient boolean finished;
    private transient int failedTicks;
    private transient String lastError;
    private transient Instant lastErrorLogged;

    AmiBuildExecution(StepContext context, AmiBuildRequest request, AwsAccess access) {
        super(context);
        this.request = request;
        this.access = access;
    }

    /** On the Pipeline's thread: checks what can be checked without AWS, records the build, schedules a tick. */
    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        builtBy = AmiBuilds.builtBy(run);
        key = UUID.randomUUID().toString();
        runId = run.getExternalizableId();
        if (!request.needsWorkspace()) {
            try {
                record(run, null);
            } catch (InputException e) {
                throw new AbortException(e.getMessage());
            }
        }
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    public void onResume() {
        schedule(Duration.ZERO);
    }

    @Override
    public void stop(@NonNull Throwable cause) {
        stopCause = cause;
        String reason = "stopped: " + (cause.getMessage() == null ? "the Pipeline was aborted" : cause.getMessage());
        abortReason = reason;
        BuildMachine m = machine;
        if (m != null) {
            m.abort(reason);
        }
        wake();
    }

    @Override
    public String getStatus() {
        BuildRecord r = lastRecord;
        if (r == null) {
            return "reading the build spec";
        }
        long minutes = Duration.between(r.startedAt(), Instant.now()).toMinutes();
        String where = switch (r.state()) {
            case RUNNING -> "phase " + r.currentPhase();
            case UNWINDING -> "cleaning up (" + r.currentPhase() + ")";
            case FINISHED -> "finished";
        };
        return "build " + r.buildId() + ": " + where + ", " + minutes + " min since it started"
                + (r.instanceId() == null ? "" : ", instance " + r.instanceId());
    }

    // ---- ticks

    /**
     * Schedules the next tick, superseding any tick scheduled before: there is one chain of ticks, whoever
     * (the last tick, a stop, a resume) asks for the next one.
     */
    private void schedule(Duration after) {
        synchronized (this) {
            if (finished) {
                return;
            }
            long turn = ++generation;
            if (task != null) {
                task.cancel(false);
            }
            life = BuildTicks.life();
            task = BuildTicks.schedule(() -> tick(turn), after);
        }
    }

    /** Runs the next tick now instead of when it is due: an abort should not wait for the next poll. */
    private void wake() {
        synchronized (this) {
            if (finished) {
                return;
            }
            if (ticking) {
                wakeRequested = true; // the running tick schedules the next one at once
                return;
            }
        }
        schedule(Duration.ZERO);
    }

    private void tick(long turn) {
        synchronized (this) {
            if (ticking || finished || turn != generation || !BuildTicks.sameLife(life)) {
                return;
            }
            ticking = true;
        }
        Duration next;
        try {
            next = advance();
        } catch (Throwable t) {
            next = AwsErrors.isInterruption(t) || t instanceof InterruptedException ? paused(t) : afterError(t);
        }
        boolean now;
        synchronized (this) {
            ticking = false;
            now = wakeRequested;
            wakeRequested = false;
        }
        if (next != null) {
            schedule(now ? Duration.ZERO : next);
        }
    }

    /** One bounded piece of work; null once the step has finished. */
    @CheckForNull
    private Duration advance() throws Exception {
        if (orphaned()) {
            return null;
        }
        BuildMachine m = machine();
        if (m == null) {
            finish(null); // stopped before anything was recorded
            return null;
        }
        Step s = m.step();
        lastRecord = m.record();
        if (s.isDone()) {
            finish(s.result());
            return null;
        }
        failedTicks = 0;
        lastError = null;
        Duration cap = AmiBuilds.maxPoll;
        return s.pollAfter().compareTo(cap) > 0 ? cap : s.pollAfter();
    }

    /**
     * Reads the spec and records a new build: spec, record and open-builds entry on disk, nothing in AWS yet.
     *
     * @throws InputException when the engine refuses the spec (nothing is written then)
     */
    private void record(Run<?, ?> run, @CheckForNull FilePath workspace) throws IOException, InterruptedException {
        AmiBuildDocument document = request.load(workspace);
        BuildSpec read = document.read();
        BuildRecord record = BuildRecord.start(read, builtBy, Clock.systemUTC());
        BuildFiles.of(run, key).start(document, record, access);
        spec = read;
        lastRecord = record;
        log("amiBuild: build " + record.buildId() + " of " + read.name() + " in " + read.region()
                + (read.dryRun() ? " (dry run)" : "") + " as " + access.describe());
    }

    /** The machine over the saved record: made on the first tick, after a restart, and after an error. */
    @CheckForNull
    private BuildMachine machine() throws Exception {
        BuildMachine m = machine;
        if (m != null) {
            return m;
        }
        Run<?, ?> run = getContext().get(Run.class);
        OpenBuilds.driving(key);
        BuildFiles files = BuildFiles.of(run, key);
        BuildRecord record = files.record();
        if (record == null) {
            if (abortReason != null) {
                return null;
            }
            record(run, request.needsWorkspace() ? getContext().get(FilePath.class) : null);
            record = files.record();
        } else if (spec == null) {
            log("amiBuild: resuming build " + record.buildId() + " in phase " + record.currentPhase());
        }
        String unreadable = null;
        if (spec == null) {
            try {
                AmiBuildDocument document = files.document();
                spec = document == null ? null : document.read();
            } catch (RuntimeException e) {
                unreadable = e.getMessage();
            }
        }
        clients = access.clients(run, record.region());
        ProgressListener progress = this::log;
        if (spec == null) {
            log("amiBuild: the spec of build " + record.buildId() + " cannot be read any more (" + unreadable
                    + "); cleaning it up");
            m = BuildMachine.forCleanup(record, AmiBuilds.services(clients, files.store()), progress, Clock.systemUTC(),
                    "the spec cannot be read any more");
        } else {
            m = new BuildMachine(spec, record, AmiBuilds.services(clients, files.store()), progress, Clock.systemUTC());
        }
        String reason = abortReason;
        if (reason != null) {
            m.abort(reason);
        }
        lastRecord = record;
        machine = m;
        return m;
    }

    /** The controller is shutting down (or the tick was interrupted): stop here, the build resumes later. */
    @CheckForNull
    private Duration paused(Throwable t) {
        forgetMachine();
        Thread.interrupted(); // the flag has done its work: this thread goes back to the pool
        if (BuildTicks.closing() || !BuildTicks.sameLife(life)) {
            OpenBuilds.released(key);
            log("amiBuild: paused while the controller shuts down; it goes on where it was after the restart");
            LOGGER.log(Level.FINE, "amiBuild paused", t);
            return null;
        }
        return RETRY_AFTER_ERROR;
    }

    /**
     * True (and the ticks stop) when the Jenkins build ended without this step, as a hard kill does: then the
     * controller's reaper ({@code AbandonedBuilds}) cleans up what the build left, from its record.
     */
    private boolean orphaned() {
        Run<?, ?> run = Run.fromExternalizableId(runId);
        if (run != null && run.isBuilding()) {
            return false;
        }
        LOGGER.log(Level.INFO, () -> runId + " ended without its amiBuild step; the controller cleans up after it");
        close();
        return true;
    }

    /**
     * What an error outside the engine's own handling means. Before anything was recorded: fail now for bad
     * input, else try a few times. Once the build is recorded, resources may exist in AWS and only the engine can
     * remove them: try again (from the saved record) until the build instance's expiry has passed.
     */
    @CheckForNull
    private Duration afterError(Throwable t) {
        forgetMachine();
        if (orphaned()) {
            return null;
        }
        BuildRecord record = savedRecord();
        String message = t instanceof InputException || t instanceof AbortException ? t.getMessage() : t.toString();
        if (record == null) {
            if (t instanceof InputException || t instanceof AbortException || ++failedTicks >= MAX_FAILED_TICKS) {
                LOGGER.log(Level.FINE, "amiBuild failed", t);
                fail(new AbortException(message));
                return null;
            }
            logError(message, null);
            LOGGER.log(Level.WARNING, "amiBuild tick failed", t);
            return RETRY_AFTER_ERROR;
        }
        if (!Instant.now().isBefore(record.expiresAt())) {
            String left = record.instanceId() != null || !record.imageIds().isEmpty()
                    ? "; the build could not clean up after itself: its resources carry the tag amifactory:build-id="
                            + record.buildId() + " (amifactory reap terminates its instance)"
                    : "";
            fail(new AbortException("amiBuild: " + message + left));
            return null;
        }
        logError(message, record.expiresAt());
        LOGGER.log(Level.WARNING, "amiBuild tick failed for build " + record.buildId(), t);
        return RETRY_AFTER_ERROR;
    }

    /** An error line in the build log: at once for a new error, then every few minutes while it repeats. */
    private void logError(String message, @CheckForNull Instant until) {
        Instant now = Instant.now();
        if (message.equals(lastError) && lastErrorLogged != null
                && now.isBefore(lastErrorLogged.plus(REPEAT_ERROR_LOG))) {
            return;
        }
        lastError = message;
        lastErrorLogged = now;
        log("amiBuild: " + message + "; trying again every " + RETRY_AFTER_ERROR.toSeconds() + " s"
                + (until == null ? "" : " until " + until + ", when the build instance expires"));
    }

    /** The record on disk, or null when the build was never recorded (or its record cannot be read). */
    @CheckForNull
    private BuildRecord savedRecord() {
        try {
            Run<?, ?> run = Run.fromExternalizableId(runId);
            return run == null ? lastRecord : BuildFiles.of(run, key).record();
        } catch (RuntimeException e) {
            return lastRecord;
        }
    }

    /** The next tick starts again from the saved record, with fresh clients. */
    private void forgetMachine() {
        machine = null;
        AwsClients c = clients;
        clients = null;
        if (c != null) {
            c.close();
        }
    }

    /** @param result null when the step was stopped before the build was recorded */
    private void finish(@CheckForNull BuildResult result) throws IOException, InterruptedException {
        Throwable cause = stopCause;
        if (result == null) {
            fail(cause != null ? cause : new AbortException("amiBuild was stopped before it started"));
            return;
        }
        Run<?, ?> run = Run.fromExternalizableId(runId);
        if (run != null) {
            BuildFiles.of(run, key).finished();
        }
        if (!result.succeeded()) {
            fail(cause != null ? cause : new AbortException(AmiBuilds.failure(result)));
            return;
        }
        String region = spec != null ? spec.region() : lastRecord.region();
        if (cause != null) {
            // The stop came when nothing was left to undo: the finished image stays, but the step is stopped.
            log("amiBuild: stopped after the image was finished; " + result.images() + " is kept");
            fail(cause);
            return;
        }
        close();
        getContext().onSuccess(AmiBuilds.toMap(result, region));
    }

    private void fail(Throwable cause) {
        close();
        getContext().onFailure(cause);
    }

    private void close() {
        synchronized (this) {
            finished = true;
            if (task != null) {
                task.cancel(false);
            }
        }
        forgetMachine();
        OpenBuilds.released(key);
    }

    /** Progress lines to the build log; the engine never passes anything secret here. */
    private void log(String line) {
        try {
            TaskListener listener = getContext().get(TaskListener.class);
            if (listener != null) {
                listener.getLogger().println(line);
            }
        } catch (IOException e) {
            LOGGER.log(Level.FINE, "cannot write to the build log", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
