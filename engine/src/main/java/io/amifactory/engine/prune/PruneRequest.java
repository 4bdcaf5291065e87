package io.amifactory.engine.prune;

import io.amifactory.engine.Tags;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.image.RegionList;
import io.amifactory.engine.input.InputNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated prune request: which of the caller's own images ({@code query}, always owner self), in
 * which regions, under which policy, and which extra SSM parameters count as "in use" references.
 *
 * @param inUseParameters SSM parameter names whose value is an AMI id that must be kept; a name that
 *                        ends in {@code /} stands for every parameter under that path
 */
public record PruneRequest(ImageQuery query, List<String> regions, PrunePolicy policy, List<String> inUseParameters) {
    // owners is accepted here only to be refused with a clear message (own images only)
    static final Set<String> KEYS = Set.of("name", "tags", "owners", "regions", "keep", "maxAge", "action", "deprecateAt",
            "familyTag", "inUseParameters", "keepShared");
    /** SSM parameter names: letters, digits and . - _ /, up to 2048 characters. */
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_./-]{1,2048}");

    public PruneRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(policy, "policy");
        if (!query.ownImagesOnly()) {
            throw new IllegalArgumentException("only the caller's own images can be pruned");
        }
        if (regions == null || regions.isEmpty()) {
            throw new IllegalArgumentException("no region given");
        }
        regions = List.copyOf(regions);
        inUseParameters = inUseParameters == null ? List.of() : List.copyOf(inUseParameters);
    }

    /**
     * Reads and checks a request. Keys: {@code name} and/or {@code tags} (required: at least one);
     * {@code regions} (default {@code defaultRegions}); {@code keep} (default 1); {@code maxAge};
     * {@code action} (deregister, deprecate, disable; default deregister); {@code deprecateAt};
     * {@code familyTag} (default amifactory:tracked-image); {@code inUseParameters}; {@code keepShared}.
     */
    public static PruneRequest parse(InputNode map, List<String> defaultRegions, Instant now) {
        map.rejectUnknownKeys(KEYS);
        ImageQuery query = ImageQuery.parse(map, false);
        List<String> regions = RegionList.read(map, "regions", defaultRegions);
        int keep = PrunePolicy.DEFAULT_KEEP;
        InputNode keepNode = map.get("keep");
        if (keepNode != null) {
            keep = keepNode.asInt();
            if (keep < 0) {
                throw keepNode.error("must be 0 or more (0 keeps no image for being newest)");
            }
        }
        Duration maxAge = map.has("maxAge") ? DurationText.parse(map.get("maxAge")) : null;
        PruneAction action = PruneAction.DEREGISTER;
        InputNode actionNode = map.get("action");
        if (actionNode != null) {
            action = PruneAction.parse(actionNode.asString());
            if (action == null) {
                throw actionNode.error("'" + actionNode.asString() + "' is not an action (deregister, deprecate or disable)");
            }
        }
        DeprecationTime deprecateAt = null;
        InputNode deprecateNode = map.get("deprecateAt");
        if (deprecateNode != null) {
            if (action != PruneAction.DEPRECATE) {
                throw deprecateNode.error("only goes with action: deprecate");
            }
            deprecateAt = DeprecationTime.parse(deprecateNode, now);
        }
        String familyTag = Tags.TRACKED_IMAGE;
        InputNode familyNode = map.get("familyTag");
        if (familyNode != null) {
            familyTag = familyNode.asString().trim();
            if (familyTag.isEmpty() || familyTag.length() > 128) {
                throw familyNode.error("a tag key must have 1 to 128 characters");
            }
        }
        boolean keepShared = map.has("keepShared") && map.get("keepShared").asBoolean();
        List<String> parameters = new ArrayList<>();
        InputNode paramsNode = map.get("inUseParameters");
        if (paramsNode != null) {
            for (InputNode p : paramsNode.isScalar() ? List.of(paramsNode) : paramsNode.asList()) {
                String name = p.asString().trim();
                if (!PARAMETER.matcher(name).matches()) {
                    throw p.error("'" + name + "' is not an SSM parameter name or path");
                }
                parameters.add(name);
            }
        }
        PrunePolicy policy = new PrunePolicy(keep, maxAge, action, deprecateAt, new FamilyRule(familyTag), keepShared);
        return new PruneRequest(query, regions, policy, new ArrayList<>(new LinkedHashSet<>(parameters)));
    }
}
