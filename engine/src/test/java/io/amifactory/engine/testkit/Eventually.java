package io.amifactory.engine.testkit;

import java.util.function.Supplier;

/**
 * Waits for something another thread or process does. Not a timing assertion: the bound (two minutes) only
 * turns a hang into a failure that says what never happened.
 */
public final class Eventually {
    private Eventually() {
    }

    public static void await(String what, Supplier<Boolean> condition, Supplier<String> context) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never happened: " + what + "\n" + context.get());
    }
}
