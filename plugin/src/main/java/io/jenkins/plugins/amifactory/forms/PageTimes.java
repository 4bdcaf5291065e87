package io.jenkins.plugins.amifactory.forms;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** Times as the plugin's pages show them: to the minute, in UTC, e.g. {@code 2026-12-04 06:28 UTC}. */
@Restricted(NoExternalUse.class)
public final class PageTimes {
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private PageTimes() {
    }

    public static String dateTime(Instant instant) {
        return DATE_TIME.format(instant);
    }

    /** An ISO-8601 time as AWS writes it ({@code 2023-06-07T21:02:11.000Z}); other text as it is. */
    public static String dateTime(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return dateTime(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The time of day, to the second: for what happens while one looks at the page. */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }
}
