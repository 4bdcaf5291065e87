package io.amifactory.engine.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a build instance's serial console (GetConsoleOutput with Latest=true gives a moving window of the
 * newest output): which lines are new since the last read, and whether the wrapper's markers
 * ({@link CustomisationScript}) are there. What was already shown is remembered as hashes of the last lines,
 * so the record never stores console text.
 */
final class ConsoleLog {
    static final int TAIL = 5;
    static final int MAX_LINES_PER_READ = 1000;
    private static final int MAX_LINE = 1000;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

    /** New non-blank lines (markers included, in place), the tail to remember, and the markers seen. */
    record Update(List<String> lines, int skipped, List<String> tail, boolean started, Integer exitCode) {
    }

    private ConsoleLog() {
    }

    /** EC2 returns base64; emulators may return the text itself. */
    static String decode(String output) {
        if (output == null || output.isEmpty()) {
            return "";
        }
        String compact = output.replaceAll("\\s", "");
        try {
            return new String(Base64.getDecoder().decode(compact), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return output;
        }
    }

    /**
     * @param finished the instance has stopped: a last line without a newline is complete too
     */
    static Update read(String text, List<String> previousTail, String buildId, boolean finished) {
        List<String> all = new ArrayList<>(List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)));
        if (!all.isEmpty() && (all.get(all.size() - 1).isEmpty() || !finished)) {
            all.remove(all.size() - 1); // the empty remainder after the last newline, or a line still being written
        }
        List<String> hashes = new ArrayList<>(all.size());
        for (String l : all) {
            hashes.add(CustomisationScript.shortHash(l));
        }
        int from = newFrom(hashes, previousTail);

        boolean started = false;
        Integer exit = null;
        Pattern exitPattern = CustomisationScript.exitMarker(buildId);
        String start = CustomisationScript.startMarker(buildId);
        for (String l : all) {
            if (l.contains(start)) {
                started = true;
            }
            Matcher m = exitPattern.matcher(l);
            if (m.find()) {
                exit = Integer.parseInt(m.group(1));
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = from; i < all.size(); i++) {
            String l = clean(all.get(i));
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        int skipped = 0;
        if (lines.size() > MAX_LINES_PER_READ) {
            skipped = lines.size() - MAX_LINES_PER_READ;
            lines = new ArrayList<>(lines.subList(skipped, lines.size()));
        }
        List<String> tail = hashes.size() <= TAIL ? hashes : hashes.subList(hashes.size() - TAIL, hashes.size());
        if (tail.isEmpty()) {
            tail = previousTail;
        }
        return new Update(lines, skipped, List.copyOf(tail), started, exit);
    }

    /** Index of the first line after the remembered tail; 0 when the tail is not found (all lines are new). */
    private static int newFrom(List<String> hashes, List<String> tail) {
        if (tail == null || tail.isEmpty()) {
            return 0;
        }
        for (int end = hashes.size() - 1; end >= 0; end--) {
            int k = Math.min(tail.size(), end + 1);
            boolean match = true;
            for (int j = 0; j < k && match; j++) {
                match = hashes.get(end - j).equals(tail.get(tail.size() - 1 - j));
            }
            if (match) {
                return end + 1;
            }
        }
        return 0;
    }

    private static String clean(String line) {
        String s = ANSI.matcher(line).replaceAll("");
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == '\t' || c >= ' ' ? c : ' ');
        }
        String out = b.toString().stripTrailing();
        return out.length() > MAX_LINE ? out.substring(0, MAX_LINE) + "…" : out;
    }
}
