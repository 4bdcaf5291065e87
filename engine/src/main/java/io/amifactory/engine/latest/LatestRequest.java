package io.amifactory.engine.latest;

import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.image.RegionList;
import io.amifactory.engine.input.InputNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which image is "latest": the newest launchable image matching {@code query} (own images unless
 * owners are given) in each region. Deprecated images are passed over unless
 * {@code includeDeprecated}: deprecating a bad build is how one rolls "latest" back.
 */
public record LatestRequest(ImageQuery query, List<String> regions, boolean includeDeprecated) {
    static final Set<String> KEYS = Set.of("name", "tags", "owners", "regions", "includeDeprecated");

    public LatestRequest {
        Objects.requireNonNull(query, "query");
        if (regions == null || regions.isEmpty()) {
            throw new IllegalArgumentException("no region given");
        }
        regions = List.copyOf(regions);
    }

    /** Keys: {@code name} and/or {@code tags}; {@code owners} (default self); {@code regions}; {@code includeDeprecated}. */
    public static LatestRequest parse(InputNode map, List<String> defaultRegions) {
        map.rejectUnknownKeys(KEYS);
        ImageQuery query = ImageQuery.parse(map, true);
        List<String> regions = RegionList.read(map, "regions", defaultRegions);
        boolean includeDeprecated = map.has("includeDeprecated") && map.get("includeDeprecated").asBoolean();
        return new LatestRequest(query, regions, includeDeprecated);
    }
}
