package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsInterruptedException;

/**
 * {@link BuildMachine#step()} stopped because its thread was interrupted: "stop here, resume later", never
 * "fail and clean up". No error was counted, nothing was undone, nothing was saved after the interrupt, and the
 * machine's record is the one last saved. The caller should stop stepping; a new {@link BuildMachine} over the
 * saved record (after a restart), or this one stepped again later, carries on where the build was, without
 * launching or imaging twice (every phase first looks for what an interrupted call may have made). The thread's
 * interrupt flag is set when this is thrown.
 */
public final class BuildInterruptedException extends AwsInterruptedException {
    private static final long serialVersionUID = 1L;

    private final String buildId;
    private final String phase;
    private final boolean cleaningUp;

    BuildInterruptedException(String name, String buildId, String phase, boolean cleaningUp, Throwable cause) {
        super("build " + name + " (" + buildId + ") was interrupted " + where(phase, cleaningUp)
                + "; nothing was undone, and it continues from its saved record", cause);
        this.buildId = buildId;
        this.phase = phase;
        this.cleaningUp = cleaningUp;
    }

    static String where(String phase, boolean cleaningUp) {
        if (phase == null) {
            return "while finishing";
        }
        return cleaningUp ? "in the cleanup of phase " + phase : "in phase " + phase;
    }

    public String buildId() {
        return buildId;
    }

    /** The phase that was running (or being cleaned up); null when the build was finishing. */
    public String phase() {
        return phase;
    }

    /** True when the build was running its cleanups (after success, failure or abort), not a phase. */
    public boolean cleaningUp() {
        return cleaningUp;
    }
}
