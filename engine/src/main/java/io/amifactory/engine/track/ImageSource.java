package io.amifactory.engine.track;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where the current upstream AMI of a tracked image comes from. */
public sealed interface ImageSource permits ImageSource.Parameter, ImageSource.Filters {

    /** A short human description, e.g. {@code ssm:/aws/service/...} or {@code filters name=al2023-*}. */
    String describe();

    /** An SSM parameter (usually an AWS public one) whose value is the AMI id. */
    record Parameter(String path) implements ImageSource {
        @Override
        public String describe() {
            return "ssm:" + path;
        }
    }

    /**
     * EC2 DescribeImages filters, optional owners; the newest match wins (see
     * {@link io.amifactory.engine.image.ImageOrder}). Filters are kept sorted by name so that two
     * images with the same query share one call.
     */
    record Filters(Map<String, List<String>> filters, List<String> owners, boolean includeDeprecated)
            implements ImageSource {
        public Filters {
            TreeMap<String, List<String>> sorted = new TreeMap<>();
            filters.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
            filters = java.util.Collections.unmodifiableMap(sorted);
            owners = owners == null ? List.of() : List.copyOf(owners);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("filters");
            filters.forEach((k, v) -> b.append(' ').append(k).append('=').append(String.join(",", v)));
            if (!owners.isEmpty()) {
                b.append(" owners=").append(String.join(",", owners));
            }
            if (includeDeprecated) {
                b.append(" (deprecated included)");
            }
            return b.toString();
        }
    }
}
