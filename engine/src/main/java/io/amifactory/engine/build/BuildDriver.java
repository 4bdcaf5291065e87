package io.amifactory.engine.build;

/**
 * The simplest driver: calls {@link BuildMachine#step()} and sleeps as told until the build is done. An
 * interrupt aborts the build and the loop goes on to run its cleanups.
 */
public final class BuildDriver {
    private BuildDriver() {
    }

    public static BuildResult run(BuildMachine machine, Sleeper sleeper) {
        while (true) {
            Step step = machine.step();
            if (step.isDone()) {
                return step.result();
            }
            if (step.pollAfter().isZero()) {
                continue;
            }
            try {
                sleeper.sleep(step.pollAfter());
            } catch (InterruptedException e) {
                machine.abort("interrupted");
            }
        }
    }
}
