package io.amifactory.engine.build;

import java.time.Duration;
import java.util.Objects;

/** What a phase's run or cleanup answers: done, "ask me again in N s", or failed (with why). */
final class PhaseResult {
    enum Kind { DONE, POLL, FAIL }

    private static final PhaseResult DONE = new PhaseResult(Kind.DONE, Duration.ZERO, null);

    final Kind kind;
    final Duration after;
    final String message;

    private PhaseResult(Kind kind, Duration after, String message) {
        this.kind = kind;
        this.after = after;
        this.message = message;
    }

    static PhaseResult done() {
        return DONE;
    }

    static PhaseResult pollAfter(Duration after) {
        return new PhaseResult(Kind.POLL, Objects.requireNonNull(after), null);
    }

    /** For a run: the build fails with this message. For a cleanup: what was left behind. */
    static PhaseResult fail(String message) {
        return new PhaseResult(Kind.FAIL, Duration.ZERO, Objects.requireNonNull(message));
    }
}
