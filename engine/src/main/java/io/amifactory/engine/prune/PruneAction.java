package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the pruner does to an image it does not keep. */
public enum PruneAction {
    /** Deregister the AMI and delete its EBS snapshots (the default: nothing is left behind). */
    DEREGISTER,
    /** Mark the AMI deprecated at a time (it stays launchable by id, but is hidden from searches). */
    DEPRECATE,
    /** Disable the AMI: nobody can launch it; it can be re-enabled, its snapshots are kept. */
    DISABLE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code deregister}, {@code deprecate} or {@code disable}; null if it is none of them. */
    public static PruneAction parse(String text) {
        for (PruneAction a : values()) {
            if (a.json().equalsIgnoreCase(text.trim())) {
                return a;
            }
        }
        return null;
    }
}
