package io.amifactory.engine.build;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Faults a fake AWS injects into named operations (SDK method names, e.g. {@code runInstances}): an error
 * with a code, throttling, or a "crash" right after the operation took effect (the process dies before it
 * could record what it did).
 */
public final class Faults {
    /** Thrown by a fake after an operation took effect, standing in for the process dying there. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(String operation) {
            super("simulated crash after " + operation);
        }
    }

    private enum Kind { ERROR, THROTTLE, CRASH_AFTER }

    private static final class Fault {
        final String operation;
        final Kind kind;
        final String code;
        int remaining;

        Fault(String operation, Kind kind, String code, int times) {
            this.operation = operation;
            this.kind = kind;
            this.code = code;
            this.remaining = times;
        }
    }

    private final List<Fault> faults = new ArrayList<>();

    /** The next {@code times} calls fail with this error code (400). */
    public synchronized Faults error(String operation, String code, int times) {
        faults.add(new Fault(operation, Kind.ERROR, code, times));
        return this;
    }

    /** Every call fails with this error code. */
    public synchronized Faults alwaysError(String operation, String code) {
        return error(operation, code, Integer.MAX_VALUE);
    }

    public synchronized Faults throttle(String operation, int times) {
        faults.add(new Fault(operation, Kind.THROTTLE, null, times));
        return this;
    }

    public synchronized Faults crashAfter(String operation) {
        faults.add(new Fault(operation, Kind.CRASH_AFTER, null, 1));
        return this;
    }

    public synchronized void clear() {
        faults.clear();
    }

    /** Throws the error or throttling planned for this call, if any. */
    synchronized void before(String operation, ErrorFactory errors) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (!f.operation.equals(operation) || f.kind == Kind.CRASH_AFTER || f.remaining <= 0) {
                continue;
            }
            if (f.remaining != Integer.MAX_VALUE) {
                f.remaining--;
            }
            if (f.kind == Kind.THROTTLE) {
                throw errors.throttling();
            }
            throw errors.error(f.code, "injected fault in " + operation, 400);
        }
    }

    synchronized void after(String operation) {
        for (Fault f : faults) {
            if (f.operation.equals(operation) && f.kind == Kind.CRASH_AFTER && f.remaining > 0) {
                f.remaining--;
                throw new SimulatedCrash(operation);
            }
        }
    }

    /** Makes service-specific exceptions. */
    interface ErrorFactory {
        RuntimeException error(String code, String message, int status);

        RuntimeException throttling();
    }
}
