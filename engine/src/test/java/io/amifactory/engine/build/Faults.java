package io.amifactory.engine.build;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.AbortedException;

/**
 * Faults a fake AWS injects into named operations (SDK method names, e.g. {@code runInstances}): an error
 * with a code, throttling, a "crash" right after the operation took effect (the process dies before it
 * could record what it did), or an interrupt of the calling thread before or after the operation took effect.
 * As the SDK does, a fake refuses every call while the calling thread's interrupt flag is set
 * ({@link #refuseIfInterrupted}).
 */
public final class Faults {
    /** Thrown by a fake after an operation took effect, standing in for the process dying there. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(String operation) {
            super("simulated crash after " + operation);
        }
    }

    private enum Kind { ERROR, THROTTLE, CRASH_AFTER, LOSE_REPLY, INTERRUPT, INTERRUPT_AFTER }

    private static final class Fault {
        final String operation;
        final int atCall;
        final Kind kind;
        final String code;
        final Supplier<RuntimeException> interrupt;
        int remaining;

        Fault(String operation, int atCall, Kind kind, String code, int times) {
            this(operation, atCall, kind, code, times, null);
        }

        Fault(String operation, int atCall, Kind kind, String code, int times, Supplier<RuntimeException> interrupt) {
            this.operation = operation;
            this.atCall = atCall;
            this.kind = kind;
            this.code = code;
            this.remaining = times;
            this.interrupt = interrupt;
        }

        boolean applies(String op, int call) {
            return remaining > 0 && (operation != null ? operation.equals(op) : call >= atCall);
        }
    }

    private final List<Fault> faults = new ArrayList<>();

    /** The next {@code times} calls fail with this error code (400). */
    public synchronized Faults error(String operation, String code, int times) {
        faults.add(new Fault(operation, 0, Kind.ERROR, code, times));
        return this;
    }

    /** Every call fails with this error code. */
    public synchronized Faults alwaysError(String operation, String code) {
        return error(operation, code, Integer.MAX_VALUE);
    }

    public synchronized Faults throttle(String operation, int times) {
        faults.add(new Fault(operation, 0, Kind.THROTTLE, null, times));
        return this;
    }

    /**
     * The next call of {@code operation} takes effect, then its reply is lost: the caller sees the connection
     * close (an {@code SdkClientException} caused by an {@code IOException}, as from the SDK) and cannot tell.
     */
    public synchronized Faults loseReply(String operation) {
        faults.add(new Fault(operation, 0, Kind.LOSE_REPLY, null, 1));
        return this;
    }

    /**
     * The next call of {@code operation} is cut short by an interrupt of the calling thread before it took
     * effect: it throws what {@code error} makes (see {@link io.amifactory.engine.testkit.FakeErrors#interrupted()}, {@link #interruptedCause()}), which may
     * also look at the world at that moment.
     */
    public synchronized Faults interrupt(String operation, Supplier<RuntimeException> error) {
        faults.add(new Fault(operation, 0, Kind.INTERRUPT, null, 1, error));
        return this;
    }

    /** As {@link #interrupt}, but the call took effect first: the interrupt came while its reply was on the way. */
    public synchronized Faults interruptAfter(String operation, Supplier<RuntimeException> error) {
        faults.add(new Fault(operation, 0, Kind.INTERRUPT_AFTER, null, 1, error));
        return this;
    }

    /**
     * An SdkClientException whose cause is an InterruptedException, the flag cleared: what a layer that caught
     * the InterruptedException (a credentials provider, an HTTP client) may hand on.
     */
    public static RuntimeException interruptedCause() {
        return software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request",
                new InterruptedException("sleep interrupted"));
    }

    /** The SDK sends nothing while the calling thread's interrupt flag is set. */
    public static void refuseIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw AbortedException.create("Thread was interrupted");
        }
    }

    public synchronized Faults crashAfter(String operation) {
        faults.add(new Fault(operation, 0, Kind.CRASH_AFTER, null, 1));
        return this;
    }

    /** The n-th call of the whole test (1-based, any operation) fails with this error code. */
    public synchronized Faults errorAtCall(int n, String code) {
        faults.add(new Fault(null, n, Kind.ERROR, code, 1));
        return this;
    }

    /** The n-th call and the two after it are throttled. */
    public synchronized Faults throttleAtCall(int n) {
        faults.add(new Fault(null, n, Kind.THROTTLE, null, 3));
        return this;
    }

    /** The process "dies" right after the n-th call took effect. */
    public synchronized Faults crashAfterCall(int n) {
        faults.add(new Fault(null, n, Kind.CRASH_AFTER, null, 1));
        return this;
    }

    public synchronized void clear() {
        faults.clear();
    }

    /** Throws the error or throttling planned for this call, if any. */
    synchronized void before(String operation, int call, ErrorFactory errors) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.kind == Kind.CRASH_AFTER || f.kind == Kind.LOSE_REPLY || f.kind == Kind.INTERRUPT_AFTER
                    || !f.applies(operation, call)) {
                continue;
            }
            if (f.remaining != Integer.MAX_VALUE) {
                f.remaining--;
            }
            if (f.kind == Kind.THROTTLE) {
                throw errors.throttling();
            }
            if (f.kind == Kind.INTERRUPT) {
                throw f.interrupt.get();
            }
            throw errors.error(f.code, "injected fault in " + operation, 400);
        }
    }

    synchronized void after(String operation, int call) {
        for (Fault f : faults) {
            if (f.kind == Kind.CRASH_AFTER && f.applies(operation, call)) {
                f.remaining--;
                throw new SimulatedCrash(operation);
            }
            if (f.kind == Kind.INTERRUPT_AFTER && f.applies(operation, call)) {
                f.remaining--;
                throw f.interrupt.get();
            }
            if (f.kind == Kind.LOSE_REPLY && f.applies(operation, call)) {
                f.remaining--;
                throw software.amazon.awssdk.core.exception.SdkClientException.create(
                        "Unable to execute HTTP request: the connection was closed (" + operation + ")",
                        new java.io.IOException("connection reset"));
            }
        }
    }

    /** Makes service-specific exceptions. */
    interface ErrorFactory {
        RuntimeException error(String code, String message, int status);

        RuntimeException throttling();
    }
}
