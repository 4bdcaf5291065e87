package io.amifactory.engine.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records the SDK operations a fake client answered, in order and thread-safely, so that tests can
 * count calls and assert that a rejected request made no mutating call.
 */
public final class CallLog {
    /** Operation-name prefixes that only read. Everything else counts as mutating. */
    private static final Set<String> READ_PREFIXES = Set.of("describe", "get", "list");

    private final List<String> calls = new ArrayList<>();

    public synchronized void record(String operation) {
        calls.add(operation);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized long count(String operation) {
        return calls.stream().filter(operation::equals).count();
    }

    public synchronized int size() {
        return calls.size();
    }

    public synchronized List<String> mutating() {
        return calls.stream().filter(c -> READ_PREFIXES.stream().noneMatch(c::startsWith)).toList();
    }

    public synchronized void clear() {
        calls.clear();
    }
}
