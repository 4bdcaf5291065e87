package io.amifactory.engine.image;

import io.amifactory.engine.aws.RegionNames;
import io.amifactory.engine.input.InputNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads the regions a request works in from user input, each checked with {@link RegionNames} before
 * any call, so that a typo fails the request instead of half of a multi-region change.
 */
public final class RegionList {
    private RegionList() {
    }

    /**
     * The regions under {@code key} of {@code map} (a list, or one value), duplicates dropped, order
     * kept. Absent: {@code defaults}. Empty after that: an error naming the field.
     */
    public static List<String> read(InputNode map, String key, List<String> defaults) {
        InputNode node = map.get(key);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (node == null) {
            for (String r : defaults == null ? List.<String>of() : defaults) {
                String problem = RegionNames.problem(r);
                if (problem != null) {
                    throw map.missing(key, problem);
                }
                out.add(r);
            }
        } else {
            for (InputNode item : node.isScalar() ? List.of(node) : node.asList()) {
                String region = item.asString().trim();
                String problem = RegionNames.problem(region);
                if (problem != null) {
                    throw item.error(problem);
                }
                out.add(region);
            }
        }
        if (out.isEmpty()) {
            throw map.missing(key, "no region given (and none configured)");
        }
        return new ArrayList<>(out);
    }
}
