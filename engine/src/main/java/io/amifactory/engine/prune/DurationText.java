package io.amifactory.engine.prune;

import io.amifactory.engine.input.InputNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}, or ISO-8601 {@code P30D}. */
public final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})\\s*([wdhm])");

    private DurationText() {
    }

    /** Reads a positive duration from {@code node}; the error names the field and the accepted forms. */
    public static Duration parse(InputNode node) {
        String text = node.asString().trim();
        Duration d = parseOrNull(text);
        if (d == null) {
            throw node.error("'" + text + "' is not a duration (like 30d, 12h, 90m, 2w or P30D)");
        }
        if (d.isZero() || d.isNegative()) {
            throw node.error("must be longer than zero");
        }
        return d;
    }

    static Duration parseOrNull(String text) {
        Matcher m = SHORT.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "w" -> Duration.ofDays(7 * n);
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The short form: whole days as {@code 30d}, whole hours as {@code 12h}, else minutes or ISO. */
    public static String format(Duration d) {
        if (d == null) {
            return null;
        }
        long s = d.getSeconds();
        if (d.getNano() == 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (d.getNano() == 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (d.getNano() == 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return d.toString();
    }
}
