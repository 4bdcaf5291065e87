package io.amifactory.engine.image;

import io.amifactory.engine.input.InputNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;

/**
 * Reads a list of AWS region names from user input. A typo such as {@code us-est-1} is caught here,
 * before any call, instead of failing half-way through a multi-region change: a region must be one
 * the AWS SDK knows (its endpoint metadata lists every public, China and GovCloud region).
 */
public final class RegionNames {
    /** us-east-1, eu-central-2, us-gov-west-1, cn-north-1 ... (not the "aws-global" pseudo-regions). */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Set<String> KNOWN = Region.regions().stream().map(Region::id)
            .filter(id -> REGION.matcher(id).matches()).collect(Collectors.toUnmodifiableSet());

    private RegionNames() {
    }

    public static boolean isValid(String region) {
        return region != null && KNOWN.contains(region);
    }

    /**
     * The regions under {@code key} of {@code map} (a list, or one value), duplicates dropped, order
     * kept. Absent: the given defaults. Empty after that: an error naming the field.
     */
    public static List<String> read(InputNode map, String key, List<String> defaults) {
        InputNode node = map.get(key);
        List<String> out = new ArrayList<>();
        if (node == null) {
            out.addAll(defaults == null ? List.of() : defaults);
            for (String r : out) {
                if (!isValid(r)) {
                    throw map.missing(key, "'" + r + "' is not an AWS region (like us-east-1)");
                }
            }
        } else if (node.isScalar()) {
            out.add(check(node, node.asString()));
        } else {
            for (InputNode item : node.asList()) {
                out.add(check(item, item.asString()));
            }
        }
        Set<String> unique = new LinkedHashSet<>(out);
        if (unique.isEmpty()) {
            throw map.missing(key, "no region given (and none configured)");
        }
        return List.copyOf(unique);
    }

    private static String check(InputNode node, String value) {
        String r = value.trim();
        if (!isValid(r)) {
            throw node.error("'" + value + "' is not an AWS region (like us-east-1)");
        }
        return r;
    }
}
