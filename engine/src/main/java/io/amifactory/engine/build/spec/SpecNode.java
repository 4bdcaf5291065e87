package io.amifactory.engine.build.spec;

import io.amifactory.engine.input.InputNode;
import java.util.Collection;

/**
 * A build's value seen through the spec's {@code defaults}: a key the build sets wins; a key it does not set
 * comes from the defaults; two mappings are merged key by key, all the way down. Lists and single values
 * are never merged. Errors always point at the node the value really came from.
 */
final class SpecNode {
    private final InputNode own;
    private final InputNode fallback;

    private SpecNode(InputNode own, InputNode fallback) {
        this.own = own;
        this.fallback = fallback;
    }

    static SpecNode of(InputNode own, InputNode fallback) {
        if (own == null && fallback == null) {
            return null;
        }
        if (own != null && fallback != null && own.isMap() && fallback.isMap()) {
            return new SpecNode(own, fallback);
        }
        return new SpecNode(own != null ? own : fallback, null);
    }

    SpecNode get(String key) {
        InputNode o = own != null && own.isMap() ? own.get(key) : null;
        InputNode f = fallback != null && fallback.isMap() ? fallback.get(key) : null;
        if (own != null && !own.isMap() && fallback == null) {
            own.keys(); // throws "must be a mapping" with the right place
        }
        return of(o, f);
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** True when the build itself (not the defaults) sets this key. */
    boolean ownHas(String key) {
        return own != null && own.isMap() && own.has(key);
    }

    /** The node that provides this value (the build's own when it has one). */
    InputNode node() {
        return own;
    }

    void rejectUnknownKeys(Collection<String> allowed) {
        own.rejectUnknownKeys(allowed);
        if (fallback != null) {
            fallback.rejectUnknownKeys(allowed);
        }
    }

    java.util.Set<String> keys() {
        java.util.Set<String> k = new java.util.LinkedHashSet<>(own.keys());
        if (fallback != null) {
            k.addAll(fallback.keys());
        }
        return k;
    }
}
