package io.amifactory.engine.prune;

import io.amifactory.engine.input.InputNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * When to deprecate: an absolute instant ({@code 2026-01-31T00:00:00Z}) or a delay from the moment of
 * planning ({@code 7d}, {@code now}). Resolved once, when the plan is made, so the plan shows the exact
 * time. EC2 does not accept a time in the past and rounds to the minute.
 */
public record DeprecationTime(Instant at, Duration after) {
    public static final DeprecationTime NOW = new DeprecationTime(null, Duration.ZERO);

    public DeprecationTime {
        if ((at == null) == (after == null)) {
            throw new IllegalArgumentException("give either an instant or a delay");
        }
    }

    public static DeprecationTime parse(InputNode node, Instant now) {
        String text = node.asString().trim();
        if (text.equalsIgnoreCase("now")) {
            return NOW;
        }
        Duration d = DurationText.parseOrNull(text.startsWith("+") ? text.substring(1) : text);
        if (d != null) {
            if (d.isNegative()) {
                throw node.error("must not be in the past");
            }
            return new DeprecationTime(null, d);
        }
        try {
            Instant at = Instant.parse(text);
            if (!at.isAfter(now)) {
                throw node.error("'" + text + "' is in the past; EC2 only deprecates at a future time");
            }
            return new DeprecationTime(at, null);
        } catch (DateTimeParseException e) {
            throw node.error("'" + text + "' is neither a time (2026-01-31T00:00:00Z) nor a delay (now, 7d, 12h)");
        }
    }

    /**
     * The instant for a plan made at {@code now}: never earlier than the next whole minute plus one, so
     * that EC2's rounding cannot land in the past.
     */
    public Instant resolve(Instant now) {
        Instant earliest = earliest(now);
        Instant wanted = at != null ? at : now.plus(after);
        return wanted.isBefore(earliest) ? earliest : wanted;
    }

    static Instant earliest(Instant now) {
        return now.truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
    }

    public String describe() {
        return at != null ? at.toString() : after.isZero() ? "now" : "+" + DurationText.format(after);
    }
}
