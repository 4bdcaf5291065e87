package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.amifactory.engine.aws.AwsClients;
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
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs one build without holding a thread while it waits (the model is {@code SleepStep}): each tick runs on
 * the Jenkins timer, calls the engine's {@link BuildMachine#step()} once and schedules the next tick when the
 * engine says. The engine's record is kept in this execution, which the Pipeline saves with its program, so
 * that after a controller restart {@link #onResume()} rebuilds the machine from the record and the build goes
 * on where it was: nothing is launched or imaged twice (the engine finds what an earlier attempt created).
 *
 * <p>{@link #stop} aborts the build; ticks go on until the cleanups have run, then the step fails with the
 * stop's cause. Validation comes first: a spec the engine refuses fails the step before any AWS call.
 */
public final class AmiBuildExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(AmiBuildExecution.class.getName());
    /** Unexpected errors in a row (not AWS errors: the engine handles those) before the step gives up. */
    private static final int MAX_FAILED_TICKS = 10;
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);
    /** The longest wait between two ticks. Tests against an emulator, which answers at once, lower it. */
    public static volatile Duration maxPoll = Duration.ofMinutes(1);

    private final AmiBuildRequest request;
    private final AwsAccess access;
    private String builtBy;
    private AmiBuildDocument document;
    private volatile String recordJson;
    private volatile String abortReason;
    private volatile Throwable stopCause;
    private int failedTicks;

    private transient volatile BuildMachine machine;
    private transient BuildSpec spec;
    private transient AwsClients clients;
    private transient ScheduledFuture<?> task;
    private transient long generation;
    private transient boolean ticking;
    private transient boolean wakeRequested;
    private transient boolean finished;
    private transient boolean stateChanged;

    AmiBuildExecution(StepContext context, AmiBuildRequest request, AwsAccess access) {
        super(context);
        this.request = request;
        this.access = access;
    }

    /** On the Pipeline's thread: checks what can be checked without I/O, records the build, schedules a tick. */
    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        builtBy = AmiBuilds.builtBy(run);
        if (!request.needsWorkspace()) {
            try {
                prepare();
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
        String json = recordJson;
        if (json == null) {
            return document == null ? "reading the build spec" : "starting";
        }
        BuildRecord r = BuildRecord.fromJson(json);
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
            task = Timer.get().schedule(() -> tick(turn), Math.max(0, after.toMillis()), TimeUnit.MILLISECONDS);
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
            if (ticking || finished || turn != generation) {
                return;
            }
            ticking = true;
        }
        Duration next;
        try {
            next = advance();
        } catch (Throwable t) {
            next = afterError(t);
        }
        boolean now;
        boolean done;
        synchronized (this) {
            ticking = false;
            now = wakeRequested;
            wakeRequested = false;
            done = finished;
        }
        if (stateChanged && !done) {
            stateChanged = false;
            getContext().saveState(); // the record changed: persist it with the program
        }
        if (next != null) {
            schedule(now ? Duration.ZERO : next);
        }
    }

    /** One bounded piece of work; null once the step has finished. */
    private Duration advance() throws Exception {
        if (document == null) {
            document = request.load(getContext().get(FilePath.class));
            stateChanged = true;
        }
        if (recordJson == null && abortReason != null) {
            finish(null); // stopped before anything was created
            return null;
        }
        BuildMachine m = machine();
        Step s = m.step();
        if (s.isDone()) {
            finish(s.result());
            return null;
        }
        failedTicks = 0;
        Duration cap = maxPoll;
        return s.pollAfter().compareTo(cap) > 0 ? cap : s.pollAfter();
    }

    /** Reads the spec and records a new build (nothing in AWS yet). Idempotent. */
    private void prepare() throws IOException, InterruptedException {
        if (document == null) {
            document = request.load(null);
        }
        if (spec == null) {
            spec = document.read();
        }
        if (recordJson == null) {
            BuildRecord record = BuildRecord.start(spec, builtBy, Clock.systemUTC());
            recordJson = record.toJson();
            log("amiBuild: build " + record.buildId() + " of " + spec.name() + " in " + spec.region()
                    + (spec.dryRun() ? " (dry run)" : "") + " as " + access.describe());
        }
    }

    /** The machine over the saved record: made on the first tick, and again after a restart. */
    private BuildMachine machine() throws Exception {
        BuildMachine m = machine;
        if (m != null) {
            return m;
        }
        boolean resumed = recordJson != null && spec == null;
        BuildSpec current = null;
        String unreadable = null;
        try {
            prepare();
            current = spec;
        } catch (InputException e) {
            if (recordJson == null) {
                throw e; // nothing was created: the step fails with the engine's message
            }
            unreadable = e.getMessage();
        }
        Run<?, ?> run = getContext().get(Run.class);
        clients = access.clients(run);
        BuildRecord record = BuildRecord.fromJson(recordJson);
        ProgressListener progress = this::log;
        if (current == null) {
            log("amiBuild: the spec of build " + record.buildId() + " cannot be read any more (" + unreadable
                    + "); cleaning it up");
            m = BuildMachine.forCleanup(record, AmiBuilds.services(clients, this::save), progress, Clock.systemUTC(),
                    "the spec cannot be read any more");
        } else {
            if (resumed) {
                log("amiBuild: resuming build " + record.buildId() + " in phase " + record.currentPhase());
            }
            m = new BuildMachine(current, record, AmiBuilds.services(clients, this::save), progress, Clock.systemUTC());
        }
        String reason = abortReason;
        if (reason != null) {
            m.abort(reason);
        }
        machine = m;
        return m;
    }

    private void save(BuildRecord record) {
        recordJson = record.toJson();
        stateChanged = true;
    }

    /** What an error outside the engine's own handling means: fail now, or try again a little later. */
    @CheckForNull
    private Duration afterError(Throwable t) {
        boolean input = t instanceof InputException || t instanceof AbortException || t instanceof IOException;
        if (machine == null || input || ++failedTicks >= MAX_FAILED_TICKS) {
            String message = t instanceof InputException || t instanceof AbortException ? t.getMessage() : t.toString();
            if (recordJson != null && machine == null) {
                BuildRecord r = BuildRecord.fromJson(recordJson);
                if (r.instanceId() != null || !r.imageIds().isEmpty()) {
                    message += "; the build could not clean up after itself: its resources carry the tag "
                            + "amifactory:build-id=" + r.buildId() + " (amifactory reap terminates its instance)";
                }
            }
            LOGGER.log(Level.FINE, "amiBuild failed", t);
            fail(new AbortException(message));
            return null;
        }
        log("amiBuild: " + t + "; trying again in " + RETRY_AFTER_ERROR.toSeconds() + " s");
        LOGGER.log(Level.WARNING, "amiBuild tick failed", t);
        return RETRY_AFTER_ERROR;
    }

    /** @param result null when the step was stopped before the build was recorded */
    private void finish(@CheckForNull BuildResult result) {
        Throwable cause = stopCause;
        if (result == null) {
            fail(cause != null ? cause : new AbortException("amiBuild was stopped before it started"));
            return;
        }
        if (!result.succeeded()) {
            fail(cause != null ? cause : new AbortException(AmiBuilds.failure(result)));
            return;
        }
        close();
        getContext().onSuccess(AmiBuilds.toMap(result, spec != null ? spec.region() : BuildRecord.fromJson(recordJson).region()));
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
        AwsClients c = clients;
        clients = null;
        if (c != null) {
            c.close();
        }
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
