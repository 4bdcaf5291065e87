package io.amifactory.engine.build.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a spec: {@code 90m}, {@code 1h30m}, {@code 2h}, {@code 90d}, or ISO-8601
 * ({@code PT90M}, {@code P90D}). A bare number is refused: "60" could mean seconds or minutes.
 */
public final class SpecDurations {
    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private SpecDurations() {
    }

    /** The duration, or null when the text is not one (the caller words the error). */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.isEmpty()) {
            return null;
        }
        if (s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = SHORT.matcher(s);
        if (!m.matches()) {
            return null;
        }
        Duration d = Duration.ZERO;
        boolean any = false;
        long[] unitSeconds = {86_400, 3_600, 60, 1};
        for (int g = 1; g <= 4; g++) {
            if (m.group(g) != null) {
                any = true;
                try {
                    d = d.plusSeconds(Math.multiplyExact(Long.parseLong(m.group(g)), unitSeconds[g - 1]));
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            }
        }
        return any ? d : null;
    }

    /** Human form used in messages: {@code 1h30m}, {@code 90d}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 86_400) {
            b.append(s / 86_400).append('d');
            s %= 86_400;
        }
        if (s >= 3_600) {
            b.append(s / 3_600).append('h');
            s %= 3_600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || b.length() == 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
