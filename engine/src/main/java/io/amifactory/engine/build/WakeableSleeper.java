package io.amifactory.engine.build;

import java.time.Duration;

/** Sleeps on a monitor so that {@link #wakeAll()} (an abort) cuts every wait short. */
public final class WakeableSleeper implements Sleeper {
    private final Object monitor = new Object();
    private long generation;

    @Override
    public void sleep(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        synchronized (monitor) {
            long started = generation;
            long left;
            while (generation == started && (left = until - System.nanoTime()) > 0) {
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public void wakeAll() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }
}
