package io.amifactory.engine.build;

import java.time.Duration;

/** How a driver waits between steps: really ({@link WakeableSleeper}), or on a fake clock in tests. */
@FunctionalInterface
public interface Sleeper {
    /** Waits up to {@code d}; may return early (woken for an abort). */
    void sleep(Duration d) throws InterruptedException;
}
