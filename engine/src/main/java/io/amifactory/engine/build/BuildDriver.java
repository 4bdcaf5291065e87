package io.amifactory.engine.build;

/**
 * The simplest driver: calls {@link BuildMachine#step()} and sleeps as told until the build is done. An
 * interrupt — while it sleeps, or inside a step ({@link BuildInterruptedException}) — aborts the build, and the
 * loop goes on to run its cleanups with the interrupt cleared. This driver is for callers whose builds are not
 * resumed later (the CLI's build threads, a freestyle Jenkins build, whose abort button interrupts the executor):
 * for them an interrupt means "stop this build", and a build that stops must not leave its instance behind.
 * Callers that resume (a Pipeline step) drive {@code step()} themselves and stop at the exception.
 */
public final class BuildDriver {
    private BuildDriver() {
    }

    public static BuildResult run(BuildMachine machine, Sleeper sleeper) {
        while (true) {
            Step step;
            try {
                step = machine.step();
            } catch (BuildInterruptedException e) {
                Thread.interrupted(); // the cleanups' calls must not be cut short by the same interrupt
                machine.abort("interrupted");
                continue;
            }
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
