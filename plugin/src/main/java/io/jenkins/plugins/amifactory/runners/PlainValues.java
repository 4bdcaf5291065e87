package io.jenkins.plugins.amifactory.runners;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.amifactory.engine.Json;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Values that cross between Pipeline scripts and the engine: only maps, lists, strings, numbers and booleans.
 * What a script passes (Groovy strings, its own map classes) is copied into those before it is kept in a
 * step execution; what a step returns is built from them, so that a sandboxed script can read it and the
 * program state can be saved.
 */
@Restricted(NoExternalUse.class)
public final class PlainValues {
    private PlainValues() {
    }

    /** A plain, serializable copy: maps keyed by strings, lists, strings, numbers, booleans, nulls. */
    static Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> m) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            ArrayList<Object> out = new ArrayList<>();
            c.forEach(v -> out.add(copy(v)));
            return out;
        }
        if (value.getClass().isArray()) {
            ArrayList<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(copy(Array.get(value, i)));
            }
            return out;
        }
        return String.valueOf(value); // Groovy strings, characters, enums
    }

    /** An engine report (its JSON) as a plain map. */
    @SuppressWarnings("unchecked")
    static LinkedHashMap<String, Object> fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the engine wrote a report that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A list of strings, or null for null or an empty list. */
    public static ArrayList<String> strings(List<?> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        ArrayList<String> out = new ArrayList<>();
        for (Object v : values) {
            if (v != null && !String.valueOf(v).isBlank()) {
                out.add(String.valueOf(v).trim());
            }
        }
        return out.isEmpty() ? null : out;
    }
}
