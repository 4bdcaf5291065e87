package io.jenkins.plugins.amifactory.runners;

import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The arguments of one engine request, keyed as the engine reads them (the CLI builds the same maps from its
 * options), so that every check and every error message is the engine's: {@code amiShare: accounts[0]: ...}.
 * Unset values are left out, which is how the engine tells "not given" from "given".
 */
@Restricted(NoExternalUse.class)
public final class EngineArguments {
    private final String source;
    private final LinkedHashMap<String, Object> map = new LinkedHashMap<>();

    /** @param source what errors name as the origin of the values, e.g. the step's name */
    public EngineArguments(String source) {
        this.source = source;
    }

    /** Adds a value (as given: a user data script keeps its whitespace) unless it is null, blank, or an empty list or map. */
    public EngineArguments put(String key, Object value) {
        boolean empty = value == null
                || value instanceof String s && s.isBlank()
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty();
        if (!empty) {
            map.put(key, PlainValues.copy(value));
        }
        return this;
    }

    /** Adds a flag only when it is set: the engine's default is always false. */
    public EngineArguments flag(String key, boolean value) {
        if (value) {
            map.put(key, true);
        }
        return this;
    }

    /**
     * Adds {@code regions} from a step's {@code region} or {@code regions}; neither leaves it out, so the
     * engine falls back to the configured default regions.
     */
    public EngineArguments regions(String region, List<String> regions) {
        boolean one = region != null && !region.isBlank();
        boolean several = regions != null && !regions.isEmpty();
        if (one && several) {
            throw new InputException(source, 0, "regions", "give region or regions, not both");
        }
        return put("regions", one ? List.of(region.trim()) : regions);
    }

    public LinkedHashMap<String, Object> map() {
        return map;
    }

    InputNode node() {
        return InputNode.ofValue(source, map);
    }
}
