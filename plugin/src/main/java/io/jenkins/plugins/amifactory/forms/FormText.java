package io.jenkins.plugins.amifactory.forms;

import io.amifactory.engine.input.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The text shapes of the configuration forms: word lists (regions, owners, image names) and filter lines
 * ({@code NAME=VALUE}, one per line, a repeated name adds a value). Only how text is cut up lives here;
 * whether a region or filter is valid is the engine's decision.
 */
@Restricted(NoExternalUse.class)
public final class FormText {
    private FormText() {
    }

    /** Words separated by whitespace or commas; blanks dropped. Never null. */
    public static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return new ArrayList<>();
        }
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("[\\s,]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    public static String joinWords(List<String> words) {
        return words == null ? "" : String.join(" ", words);
    }

    /**
     * Filter lines to a filter map. Blank lines and lines starting with '#' are skipped.
     *
     * @throws InputException naming the line, for a line without '=' or with an empty name or value
     */
    public static Map<String, List<String>> filterLines(String field, String text) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (text == null) {
            return filters;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? "" : line.substring(0, eq).trim();
            String value = eq < 0 ? "" : line.substring(eq + 1).trim();
            if (name.isEmpty() || value.isEmpty()) {
                throw new InputException(field, i + 1, field,
                        "expected NAME=VALUE (for example name=al2023-ami-*), got '" + line + "'");
            }
            filters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return filters;
    }

    /** The inverse of {@link #filterLines}: one line per value. */
    public static String toFilterLines(Map<String, List<String>> filters) {
        StringBuilder b = new StringBuilder();
        filters.forEach((name, values) -> values.forEach(v -> {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(name).append('=').append(v);
        }));
        return b.toString();
    }

    /** "1 tracked image", "3 tracked images": a count with its noun (English plural in -s). */
    public static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Trimmed, never null: the form of every text field the configuration keeps. */
    public static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
