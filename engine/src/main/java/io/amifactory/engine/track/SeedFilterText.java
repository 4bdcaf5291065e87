package io.amifactory.engine.track;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code Filters} text of seed 004's tracked-image files: Python-literal dicts with single
 * quotes, separated by commas, e.g. {@code {'Name': 'name', 'Values': ['RHEL-8.6.0_HVM-*']}, {...}}.
 * The seed fed this text to Python, so we accept Python string literals in single or double quotes,
 * lists, dicts and an optional surrounding list — nothing else (no expressions).
 */
final class SeedFilterText {
    /** A syntax problem at a character offset of the text. */
    static final class SyntaxError extends Exception {
        final int offset;

        SyntaxError(int offset, String message) {
            super(message);
            this.offset = offset;
        }
    }

    /**
     * One filter as written: its keys and values (String or List of String), and where in the text the filter
     * and each of its keys start, so that a problem can be reported on the line it is on.
     */
    record Filter(Map<String, Object> entries, int offset, Map<String, Integer> keyOffsets) {
        int offsetOf(String key) {
            return keyOffsets.getOrDefault(key, offset);
        }
    }

    private final String text;
    private int pos;
    /** Where each dict read so far starts, and where its keys do. */
    private final Map<Map<String, Object>, int[]> dictOffsets = new java.util.IdentityHashMap<>();
    private final Map<Map<String, Object>, Map<String, Integer>> keyOffsets = new java.util.IdentityHashMap<>();

    private SeedFilterText(String text) {
        this.text = text;
    }

    /** Returns the filter dicts as written (key → String or List of String), with where each starts. */
    static List<Filter> parse(String text) throws SyntaxError {
        SeedFilterText p = new SeedFilterText(text);
        List<Object> items = p.topLevel();
        List<Filter> out = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new SyntaxError(0, "each filter must be a {'Name': ..., 'Values': [...]} dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> dict = (Map<String, Object>) m;
            out.add(new Filter(dict, p.dictOffsets.get(dict)[0], p.keyOffsets.get(dict)));
        }
        return out;
    }

    private List<Object> topLevel() throws SyntaxError {
        skipSpace();
        List<Object> items;
        if (peek() == '[') {
            items = list();
        } else {
            items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (atEnd()) {
                    break;
                }
                items.add(value());
                skipSpace();
                if (atEnd()) {
                    break;
                }
                expect(',');
            }
        }
        skipSpace();
        if (!atEnd()) {
            throw new SyntaxError(pos, "unexpected '" + text.charAt(pos) + "' after the filters");
        }
        if (items.isEmpty()) {
            throw new SyntaxError(0, "no filters given");
        }
        return items;
    }

    private Object value() throws SyntaxError {
        skipSpace();
        char c = peek();
        if (c == '{') {
            return dict();
        }
        if (c == '[') {
            return list();
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        throw new SyntaxError(pos, atEnd() ? "text ends where a value was expected"
                : "expected a quoted string, [list] or {dict}, found '" + c + "'");
    }

    private Map<String, Object> dict() throws SyntaxError {
        skipSpace();
        int start = pos;
        expect('{');
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Integer> keys = new LinkedHashMap<>();
        dictOffsets.put(m, new int[] {start});
        keyOffsets.put(m, keys);
        skipSpace();
        while (peek() != '}') {
            skipSpace();
            int keyAt = pos;
            if (peek() != '\'' && peek() != '"') {
                throw new SyntaxError(pos, "expected a quoted key");
            }
            String key = string();
            skipSpace();
            expect(':');
            Object v = value();
            if (m.put(key, v) != null) {
                throw new SyntaxError(keyAt, "key '" + key + "' appears twice");
            }
            keys.put(key, keyAt);
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != '}') {
                throw new SyntaxError(pos, "expected ',' or '}'");
            }
        }
        pos++;
        return m;
    }

    private List<Object> list() throws SyntaxError {
        expect('[');
        List<Object> l = new ArrayList<>();
        skipSpace();
        while (peek() != ']') {
            l.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != ']') {
                throw new SyntaxError(pos, "expected ',' or ']'");
            }
        }
        pos++;
        return l;
    }

    private String string() throws SyntaxError {
        char quote = text.charAt(pos);
        int start = pos++;
        StringBuilder b = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return b.toString();
            }
            if (c == '\\' && !atEnd()) {
                char n = text.charAt(pos++);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    default -> b.append(n);
                }
            } else {
                b.append(c);
            }
        }
        throw new SyntaxError(start, "string is not closed");
    }

    private void expect(char c) throws SyntaxError {
        skipSpace();
        if (peek() != c) {
            throw new SyntaxError(pos, atEnd() ? "text ends where '" + c + "' was expected"
                    : "expected '" + c + "', found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
