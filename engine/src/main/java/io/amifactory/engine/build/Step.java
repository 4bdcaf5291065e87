package io.amifactory.engine.build;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link BuildMachine#step()} answers: either the build is done (with its result), or the driver should
 * call {@code step()} again after {@link #pollAfter()} (zero: at once).
 */
public final class Step {
    private final Duration pollAfter;
    private final BuildResult result;

    private Step(Duration pollAfter, BuildResult result) {
        this.pollAfter = pollAfter;
        this.result = result;
    }

    static Step after(Duration d) {
        return new Step(Objects.requireNonNull(d), null);
    }

    static Step done(BuildResult result) {
        return new Step(Duration.ZERO, Objects.requireNonNull(result));
    }

    public boolean isDone() {
        return result != null;
    }

    /** How long to wait before the next {@code step()}; zero when done. */
    public Duration pollAfter() {
        return pollAfter;
    }

    /** The result; null while the build is not done. */
    public BuildResult result() {
        return result;
    }

    @Override
    public String toString() {
        return isDone() ? "done: " + result.status().label() : "poll after " + pollAfter.toMillis() + " ms";
    }
}
