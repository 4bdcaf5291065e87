package io.amifactory.engine.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@link FaultProxy} does to the calls it forwards: which call types (selectors such as
 * {@code "*"}, {@code "ec2:*"} or {@code "ssm:GetParameters"}) get which {@link Fault} at which rate, and
 * which get added latency.
 *
 * <p>Rates of the fault rules that match a call add up (one draw per call): {@code inject(THROTTLE, 0.5)}
 * and {@code inject(SERVER_ERROR, 0.05)} throttle half of the calls and fail 5% with HTTP 500. The draws
 * are seeded and made per (region, call type) sequence, so a plan gives the same faults to the same
 * calls however the threads of a parallel cycle interleave (calls within a region run one after the other).
 */
public final class FaultPlan {
    /** A fault in the wire form of each protocol (EC2 query, AWS query, JSON 1.1). */
    public enum Fault {
        /** EC2: 503 RequestLimitExceeded; SSM: 400 ThrottlingException; AutoScaling/STS: 400 Throttling. */
        THROTTLE,
        /** HTTP 500: EC2 InternalError, SSM InternalServerError, query InternalFailure. */
        SERVER_ERROR,
        /** HTTP 503: EC2 Unavailable, SSM and query ServiceUnavailable. */
        UNAVAILABLE,
        /** The connection is closed before the request reaches AWS (no response). */
        DROP,
        /** The request is carried out, then the connection is closed before the response (the reply is lost). */
        DROP_AFTER,
        /**
         * A permission the caller lacks, which no retry fixes: EC2 403 UnauthorizedOperation, SSM 400
         * AccessDeniedException, query 403 AccessDenied.
         */
        ACCESS_DENIED
    }

    private record Rule(String selector, Fault fault, double rate, int limit, AtomicInteger used) {
    }

    private record Latency(String selector, Duration delay, double rate) {
    }

    /** The decision for one call: a fault (or null) and a delay (or zero). */
    public record Decision(Fault fault, Duration delay) {
        static final Decision NONE = new Decision(null, Duration.ZERO);
    }

    private final long seed;
    private final List<Rule> rules = new ArrayList<>();
    private final List<Latency> latencies = new ArrayList<>();
    private final Map<String, Random> streams = new HashMap<>();

    private FaultPlan(long seed) {
        this.seed = seed;
    }

    /** A plan that changes nothing: every call is forwarded as it is. */
    public static FaultPlan none() {
        return new FaultPlan(0);
    }

    public static FaultPlan seeded(long seed) {
        return new FaultPlan(seed);
    }

    /** {@code fault} on every call type at {@code rate} (0..1). */
    public FaultPlan inject(Fault fault, double rate) {
        return inject("*", fault, rate);
    }

    /** {@code fault} on the calls {@code selector} matches, at {@code rate} (0..1). */
    public synchronized FaultPlan inject(String selector, Fault fault, double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1: " + rate);
        }
        rules.add(new Rule(selector, Objects.requireNonNull(fault), rate, Integer.MAX_VALUE, new AtomicInteger()));
        return this;
    }

    /** {@code fault} on the next {@code count} calls {@code selector} matches, then never again. */
    public synchronized FaultPlan first(String selector, Fault fault, int count) {
        rules.add(0, new Rule(selector, Objects.requireNonNull(fault), 1.0, count, new AtomicInteger()));
        return this;
    }

    /** Delays the calls {@code selector} matches by {@code delay}, at {@code rate}. */
    public synchronized FaultPlan latency(String selector, Duration delay, double rate) {
        latencies.add(new Latency(selector, Objects.requireNonNull(delay), rate));
        return this;
    }

    /** True when {@code selector} ({@code *}, {@code service:*} or {@code service:Operation}) matches. */
    public static boolean matches(String selector, String service, String operation) {
        if (selector.equals("*")) {
            return true;
        }
        int colon = selector.indexOf(':');
        String s = colon < 0 ? selector : selector.substring(0, colon);
        String op = colon < 0 ? "*" : selector.substring(colon + 1);
        return s.equalsIgnoreCase(service) && (op.equals("*") || op.equals(operation));
    }

    /** Decides what happens to the next call of this type in this region. */
    public synchronized Decision decide(String service, String operation, String region) {
        if (rules.isEmpty() && latencies.isEmpty()) {
            return Decision.NONE;
        }
        String key = region + "/" + service + ":" + operation;
        double draw = stream(key).nextDouble();
        Fault fault = null;
        double cumulative = 0;
        for (Rule r : rules) {
            if (!matches(r.selector, service, operation) || r.used.get() >= r.limit) {
                continue;
            }
            cumulative += r.rate;
            if (draw < cumulative) {
                r.used.incrementAndGet();
                fault = r.fault;
                break;
            }
        }
        Duration delay = Duration.ZERO;
        for (Latency l : latencies) {
            if (matches(l.selector, service, operation) && stream(key + "#latency").nextDouble() < l.rate) {
                delay = delay.plus(l.delay);
            }
        }
        return new Decision(fault, delay);
    }

    private Random stream(String key) {
        return streams.computeIfAbsent(key, k -> new Random(seed * 1_000_003L + k.hashCode()));
    }
}
