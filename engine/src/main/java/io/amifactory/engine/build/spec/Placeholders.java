package io.amifactory.engine.build.spec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {placeholder}} language of build specs (image names, descriptions, tag values, parameter
 * paths, automation parameters). Times are UTC and taken from the start of the build, so a resumed build
 * renders the same names.
 */
public final class Placeholders {
    public static final String NAME = "name";
    public static final String REGION = "region";
    public static final String DATE = "date";
    public static final String TIME = "time";
    public static final String TIMESTAMP = "timestamp";
    public static final String EPOCH = "epoch";
    public static final String BUILD_ID = "buildId";
    public static final String SOURCE_ID = "source.id";
    public static final String SOURCE_NAME = "source.name";
    public static final String SOURCE_DATE = "source.date";
    public static final String TRACKED = "tracked";
    public static final String IMAGE_NAME = "imageName";

    /** Everything but {@code {imageName}}, which is what the image name template defines. */
    public static final Set<String> FOR_IMAGE_NAME = Set.of(NAME, REGION, DATE, TIME, TIMESTAMP, EPOCH, BUILD_ID,
            SOURCE_ID, SOURCE_NAME, SOURCE_DATE, TRACKED);
    public static final Set<String> ALL = union(FOR_IMAGE_NAME, Set.of(IMAGE_NAME));

    private static final Pattern TOKEN = Pattern.compile("\\{([^{}]*)}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private Placeholders() {
    }

    /** A problem with the template (unknown placeholder, stray brace), or null when it is well formed. */
    public static String check(String template, Set<String> allowed) {
        Matcher m = TOKEN.matcher(template);
        int last = 0;
        StringBuilder outside = new StringBuilder();
        while (m.find()) {
            outside.append(template, last, m.start());
            last = m.end();
            if (!allowed.contains(m.group(1))) {
                return "unknown placeholder {" + m.group(1) + "} (known: "
                        + String.join(", ", new TreeSet<>(allowed).stream().map(p -> "{" + p + "}").toList()) + ")";
            }
        }
        outside.append(template.substring(last));
        if (outside.indexOf("{") >= 0 || outside.indexOf("}") >= 0) {
            return "unbalanced '{' or '}' (placeholders look like {date})";
        }
        return null;
    }

    /** Replaces every placeholder; the template must have passed {@link #check}. */
    public static String render(String template, Map<String, String> values) {
        if (template == null) {
            return null;
        }
        Matcher m = TOKEN.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "}");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The placeholders a template uses. */
    public static List<String> used(String template) {
        Matcher m = TOKEN.matcher(template);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Values from the build's identity and start time; source values are added by {@link #withSource}. */
    public static Map<String, String> values(String name, String region, String buildId, Instant startedAt) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(NAME, name);
        v.put(REGION, region);
        v.put(BUILD_ID, buildId);
        v.put(DATE, DAY.format(startedAt));
        v.put(TIME, CLOCK.format(startedAt));
        v.put(TIMESTAMP, STAMP.format(startedAt));
        v.put(EPOCH, Long.toString(startedAt.getEpochSecond()));
        return v;
    }

    public static Map<String, String> withSource(Map<String, String> base, String sourceId, String sourceName,
            Instant sourceCreated, String tracked) {
        Map<String, String> v = new LinkedHashMap<>(base);
        v.put(SOURCE_ID, sourceId);
        v.put(SOURCE_NAME, sourceName == null ? "" : sourceName);
        v.put(SOURCE_DATE, DAY.format(sourceCreated));
        v.put(TRACKED, tracked == null ? "" : tracked);
        return v;
    }

    /** Stand-in values for checking a template's fixed parts before the source is known. */
    public static Map<String, String> samples(String name, String region) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return withSource(values(name, region, name + "-20260101-000000-abcdef", t),
                "ami-0123456789abcdef0", "source", t, "tracked");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
