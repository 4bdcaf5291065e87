package io.amifactory.engine.input;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A read-only view of a YAML or JSON document (JSON is read as YAML) that remembers, for every value,
 * the source, line and field path it came from. Every input format of the factory is read through this
 * class so that every error names file, line and field the same way.
 *
 * <p>Values built in memory (a Pipeline Map) are wrapped with {@link #ofValue}; they have no lines.
 */
public final class InputNode {
    private enum Kind { MAP, LIST, SCALAR, NULL }

    private final String source;
    private final String path;
    private final int line;
    private final Kind kind;
    private final String scalar;
    private final Map<String, InputNode> map;
    private final List<InputNode> list;
    /** Line of each key of a map (a value may start on a later line than its key). */
    private final Map<String, Integer> keyLines = new LinkedHashMap<>();
    /**
     * For a scalar written over several lines (a block scalar such as {@code >-}, or a quoted one): pairs of
     * {offset in the value, source line} where the text of each source line starts, in order.
     */
    private List<int[]> lineStarts = List.of();

    private InputNode(String source, String path, int line, Kind kind, String scalar,
            Map<String, InputNode> map, List<InputNode> list) {
        this.source = source;
        this.path = path;
        this.line = line;
        this.kind = kind;
        this.scalar = scalar;
        this.map = map;
        this.list = list;
    }

    /** Reads a file; the error names the file as the user wrote it. */
    public static InputNode read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(file.toString(), 0, "", "cannot read file: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses YAML or JSON text. An empty document is an error: every format needs content. */
    public static InputNode parse(String source, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new InputException(source, line, "", "not valid YAML/JSON: " + e.getProblem());
        } catch (YAMLException e) {
            throw new InputException(source, 0, "", "not valid YAML/JSON: " + e.getMessage());
        }
        if (root == null) {
            throw new InputException(source, 0, "", "the document is empty");
        }
        return fromYaml(source, "", root, text.split("\\R", -1));
    }

    /** Wraps a value built in memory: Map, List, String, Number, Boolean or null. */
    public static InputNode ofValue(String source, Object value) {
        return fromValue(source, "", value);
    }

    private static InputNode fromYaml(String source, String path, Node node, String[] lines) {
        int line = node.getStartMark() != null ? node.getStartMark().getLine() + 1 : 0;
        if (node instanceof MappingNode m) {
            Map<String, InputNode> entries = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    int kl = t.getKeyNode().getStartMark().getLine() + 1;
                    throw new InputException(source, kl, path, "keys must be plain names");
                }
                String key = k.getValue();
                int keyLine = k.getStartMark().getLine() + 1;
                Integer first = keyLines.putIfAbsent(key, keyLine);
                if (first != null) {
                    // SnakeYAML checks duplicates only when constructing objects; composing nodes does not.
                    throw new InputException(source, keyLine, child(path, key),
                            "duplicate key '" + key + "' (first on line " + first + ")");
                }
                entries.put(key, fromYaml(source, child(path, key), t.getValueNode(), lines));
            }
            InputNode n = new InputNode(source, path, line, Kind.MAP, null, entries, null);
            n.keyLines.putAll(keyLines);
            return n;
        }
        if (node instanceof SequenceNode s) {
            List<InputNode> items = new ArrayList<>();
            List<Node> values = s.getValue();
            for (int i = 0; i < values.size(); i++) {
                items.add(fromYaml(source, path + "[" + i + "]", values.get(i), lines));
            }
            return new InputNode(source, path, line, Kind.LIST, null, null, items);
        }
        ScalarNode sc = (ScalarNode) node;
        if (Tag.NULL.equals(sc.getTag())) {
            return new InputNode(source, path, line, Kind.NULL, null, null, null);
        }
        InputNode n = new InputNode(source, path, line, Kind.SCALAR, sc.getValue(), null, null);
        if (sc.getStartMark() != null && sc.getEndMark() != null
                && sc.getEndMark().getLine() > sc.getStartMark().getLine()) {
            n.lineStarts = lineStarts(sc.getValue(), lines, sc.getStartMark(), sc.getEndMark(), sc.getScalarStyle());
        }
        return n;
    }

    /**
     * Where the text of each source line of a multi-line scalar starts in its value. The value is what YAML made
     * of the lines (a folded block joins them with spaces, a literal one with line breaks; indentation goes), so
     * each line's text is looked for, in order, in the value; a line that cannot be found (escapes in a quoted
     * scalar) ends the map, and what follows is reported on the last line found.
     */
    private static List<int[]> lineStarts(String value, String[] lines, Mark start, Mark end,
            DumperOptions.ScalarStyle style) {
        boolean block = style == DumperOptions.ScalarStyle.FOLDED || style == DumperOptions.ScalarStyle.LITERAL;
        boolean quoted = style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
        List<int[]> out = new ArrayList<>();
        int first = start.getLine();
        int last = Math.min(end.getLine(), lines.length - 1);
        int from = 0;
        for (int l = first; l <= last; l++) {
            String raw = lines[l];
            if (l == end.getLine()) {
                raw = raw.substring(0, Math.min(raw.length(), end.getColumn()));
            }
            if (l == first) {
                if (block) {
                    continue; // the line of the indicator (>- or |) holds no text of the value
                }
                raw = raw.substring(Math.min(raw.length(), start.getColumn()));
            }
            String text = raw.strip();
            if (quoted && l == first && !text.isEmpty()) {
                text = text.substring(1);
            }
            if (quoted && l == end.getLine() && !text.isEmpty()) {
                text = text.substring(0, text.length() - 1);
            }
            text = text.strip();
            if (text.isEmpty()) {
                continue;
            }
            int at = value.indexOf(text, from);
            if (at < 0) {
                break;
            }
            out.add(new int[] {at, l + 1});
            from = at + text.length();
        }
        return out;
    }

    private static InputNode fromValue(String source, String path, Object value) {
        if (value == null) {
            return new InputNode(source, path, 0, Kind.NULL, null, null, null);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, InputNode> entries = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                entries.put(key, fromValue(source, child(path, key), e.getValue()));
            }
            return new InputNode(source, path, 0, Kind.MAP, null, entries, null);
        }
        if (value instanceof Collection<?> c) {
            List<InputNode> items = new ArrayList<>();
            int i = 0;
            for (Object o : c) {
                items.add(fromValue(source, path + "[" + i++ + "]", o));
            }
            return new InputNode(source, path, 0, Kind.LIST, null, null, items);
        }
        if (value.getClass().isArray() && value instanceof Object[] arr) {
            return fromValue(source, path, List.of(arr));
        }
        return new InputNode(source, path, 0, Kind.SCALAR, String.valueOf(value), null, null);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    /** The field path, e.g. {@code images[1].regions[0]}. */
    public String path() {
        return path;
    }

    public boolean isMap() {
        return kind == Kind.MAP;
    }

    public boolean isList() {
        return kind == Kind.LIST;
    }

    public boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    /** An error about this value, naming its source, line and field. */
    public InputException error(String problem) {
        return new InputException(source, line, path, problem);
    }

    /**
     * An error about the text at {@code offset} of this value, naming the line that text is on: for a value written
     * over several lines (seed 004's {@code Filters: >-}) that is not the line of its key.
     */
    public InputException errorAt(int offset, String problem) {
        int at = line;
        for (int[] start : lineStarts) {
            if (start[0] > offset) {
                break;
            }
            at = start[1];
        }
        return new InputException(source, at, path, problem);
    }

    /** An error about a key of this map that is missing (names this map's line and the missing field). */
    public InputException missing(String key, String problem) {
        return new InputException(source, line, child(path, key), problem);
    }

    // ---- maps

    public Set<String> keys() {
        requireMap();
        return map.keySet();
    }

    /** The value under {@code key}, or null when absent or explicitly null. */
    public InputNode get(String key) {
        requireMap();
        InputNode n = map.get(key);
        return n == null || n.isNull() ? null : n;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /** Rejects keys outside {@code allowed}, naming the first unknown key and the accepted ones. */
    public void rejectUnknownKeys(Collection<String> allowed) {
        requireMap();
        for (Map.Entry<String, InputNode> e : map.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new InputException(source, keyLines.getOrDefault(e.getKey(), e.getValue().line), child(path, e.getKey()),
                        "unknown key '" + e.getKey() + "' (accepted: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    public String requiredString(String key) {
        InputNode n = get(key);
        if (n == null) {
            throw missing(key, "is required");
        }
        return n.asString();
    }

    public String optionalString(String key) {
        InputNode n = get(key);
        return n == null ? null : n.asString();
    }

    // ---- lists and scalars

    public List<InputNode> asList() {
        if (kind != Kind.LIST) {
            throw error("must be a list");
        }
        return list;
    }

    /** A list of strings; a single scalar is accepted as a list of one. */
    public List<String> asStringList() {
        if (kind == Kind.SCALAR) {
            return List.of(asString());
        }
        List<String> out = new ArrayList<>();
        for (InputNode n : asList()) {
            out.add(n.asString());
        }
        return out;
    }

    public String asString() {
        if (kind != Kind.SCALAR) {
            throw error("must be a single value, not " + describe());
        }
        return scalar;
    }

    public int asInt() {
        String s = asString().trim();
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error("must be a whole number, not '" + s + "'");
        }
    }

    public boolean asBoolean() {
        String s = asString().trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "true", "yes", "on" -> {
                return true;
            }
            case "false", "no", "off" -> {
                return false;
            }
            default -> throw error("must be true or false, not '" + s + "'");
        }
    }

    private void requireMap() {
        if (kind != Kind.MAP) {
            throw error("must be a mapping of keys to values, not " + describe());
        }
    }

    private String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> "a single value";
            case NULL -> "nothing";
        };
    }
}
