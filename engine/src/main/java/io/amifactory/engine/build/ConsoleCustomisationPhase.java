package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.build.spec.BuildSpec;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Waits for a userData/bootstrapUrl customisation to finish, streaming the serial console into the progress
 * log. The wrapper's exit marker decides: 0 goes on, anything else fails the build. An instance that stops
 * without a marker fails the build unless the spec says {@code completion: stop}; the console is given a
 * grace period first, because EC2 posts console output with a delay.
 *
 * <p>The instance state comes from the {@linkplain SharedPolls shared polls} at every tick. The console, which
 * is one call per build, is read when that state says the customisation may have ended (the wrapper powers
 * the instance off after writing its marker), and otherwise every {@link #CONSOLE_EVERY} for the live log.
 */
final class ConsoleCustomisationPhase implements Phase {
    /** How often the console is read while the instance runs: how late a line of output may show. */
    static final Duration CONSOLE_EVERY = Duration.ofSeconds(60);
    /** How long after the instance stopped a missing marker may still show up in the console output. */
    static final Duration MARKER_GRACE = Duration.ofMinutes(2);
    /** How long a just-launched instance may be unknown to DescribeInstances (eventual consistency). */
    static final Duration VISIBILITY_GRACE = Duration.ofMinutes(2);

    @Override
    public String name() {
        return "customise";
    }

    @Override
    public PhaseResult run(BuildContext ctx) {
        BuildRecord r = ctx.record();
        Instance instance = ctx.instance();
        String state = Instances.state(instance);
        if (state == null) {
            if (ctx.now().isBefore(r.instant(r.phaseStartedAt).plus(VISIBILITY_GRACE))) {
                return ctx.pollAtTick();
            }
            return PhaseResult.fail("the build instance " + r.instanceId + " has disappeared");
        }
        if (Instances.GONE.contains(state)) {
            return PhaseResult.fail("the build instance " + r.instanceId + " was terminated before the customisation "
                    + "finished" + reason(instance));
        }
        if (state.equals("pending")) {
            return ctx.pollAtTick();
        }
        boolean stopped = state.equals("stopped");
        if (consoleDue(r, state, ctx.now())) {
            readConsole(ctx, stopped);
            r.consoleReadAt = ctx.now().toString();
            r.consoleState = state;
        }

        if (r.exitCode != null) {
            if (r.exitCode != 0) {
                return PhaseResult.fail("the customisation failed with exit status " + r.exitCode
                        + " (its output is above)");
            }
            ctx.info("the customisation finished with exit status 0");
            return PhaseResult.done();
        }
        if (!stopped) {
            return ctx.pollAtTick();
        }
        BuildSpec.Completion completion = completion(ctx.spec());
        if (completion == BuildSpec.Completion.STOP) {
            ctx.warn("the instance stopped without reporting an exit status; completion: stop accepts that as success");
            return PhaseResult.done();
        }
        if (r.stoppedSeenAt == null) {
            r.stoppedSeenAt = ctx.now().toString();
            ctx.info("the instance has stopped; waiting up to " + MARKER_GRACE.toMinutes()
                    + " min for the console output to show the exit status");
            return ctx.pollAtTick();
        }
        Instant stoppedAt = r.instant(r.stoppedSeenAt);
        if (ctx.now().isBefore(stoppedAt.plus(MARKER_GRACE))) {
            return ctx.pollAtTick();
        }
        return PhaseResult.fail("the instance stopped without reporting an exit status on its console"
                + (r.customisationStarted ? " (the customisation started)" : " (the customisation never started: "
                        + "is cloud-init on the image, and does it run user data scripts?)")
                + "; set completion: stop if the instance's console cannot be read");
    }

    /**
     * First sight of the running instance, a state other than at the last read (it powered off: the marker
     * should be there), a stopped instance still without its marker (EC2 posts console output late), or the
     * live log's cadence.
     */
    static boolean consoleDue(BuildRecord r, String state, Instant now) {
        if (r.consoleReadAt == null || !state.equals(r.consoleState)) {
            return true;
        }
        if (state.equals("stopped")) {
            return true;
        }
        return !now.isBefore(r.instant(r.consoleReadAt).plus(CONSOLE_EVERY));
    }

    private static void readConsole(BuildContext ctx, boolean finished) {
        BuildRecord r = ctx.record();
        String output;
        try {
            output = ctx.ec2().getConsoleOutput(b -> b.instanceId(r.instanceId).latest(true)).output();
        } catch (Ec2Exception e) {
            if (AwsErrors.isNotFound(e) || AwsErrors.hasCode(e, "UnsupportedOperation")) {
                return; // not available (yet, or on this instance type): the state still tells
            }
            throw e;
        }
        ConsoleLog.Update update = ConsoleLog.read(ConsoleLog.decode(output), r.consoleTail, r.buildId, finished);
        if (update.skipped() > 0) {
            ctx.output("(" + update.skipped() + " console lines not shown)");
        }
        for (String line : update.lines()) {
            if (!CustomisationScript.isMarker(line, r.buildId)) {
                ctx.output(line);
            } else if (line.contains(CustomisationScript.startMarker(r.buildId)) && !r.customisationStarted) {
                r.customisationStarted = true;
                ctx.info("the customisation has started");
            }
        }
        r.consoleTail.clear();
        r.consoleTail.addAll(update.tail());
        if (update.started() && !r.customisationStarted) {
            r.customisationStarted = true;
            ctx.info("the customisation has started");
        }
        if (update.exitCode() != null) {
            r.exitCode = update.exitCode();
        }
    }

    private static BuildSpec.Completion completion(BuildSpec spec) {
        if (spec.customisation() instanceof BuildSpec.UserData u) {
            return u.completion();
        }
        if (spec.customisation() instanceof BuildSpec.BootstrapUrl u) {
            return u.completion();
        }
        return BuildSpec.Completion.MARKER;
    }

    private static String reason(Instance i) {
        return i.stateReason() == null || i.stateReason().message() == null || i.stateReason().message().isBlank()
                ? "" : " (" + i.stateReason().message() + ")";
    }
}
