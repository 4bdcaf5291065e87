package io.amifactory.cli;

import java.util.List;
import java.util.Map;

/**
 * Builds the argument map that the share, prune and latest commands hand to the engine's request parsers
 * (the same parsers the Jenkins steps use), leaving out options that were not given.
 */
final class RequestArgs {
    private RequestArgs() {
    }

    /** Puts {@code value} unless it is null or an empty list. */
    static void putIf(Map<String, Object> args, String key, Object value) {
        if (value instanceof List<?> l ? !l.isEmpty() : value != null) {
            args.put(key, value);
        }
    }

    /** Puts {@code true} for a flag that was given; an absent flag stays absent. */
    static void flag(Map<String, Object> args, String key, boolean value) {
        if (value) {
            args.put(key, true);
        }
    }
}
