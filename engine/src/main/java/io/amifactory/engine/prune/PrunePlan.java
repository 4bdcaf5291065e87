package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.amifactory.engine.Json;
import io.amifactory.engine.image.ImageQuery;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The whole plan, made before anything changes: every selected image in every region with keep or
 * the action, and why. {@link #toJson()} is the documented plan format (docs/pruning.md).
 *
 * @param createdAt   when the plan was made (ISO-8601); ages are measured from it
 * @param deprecateAt the exact deprecation time for action deprecate, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrunePlan(String createdAt, ImageQuery selection, PrunePolicy policy, String deprecateAt,
        List<RegionPlan> regions) {

    public PrunePlan {
        regions = List.copyOf(regions);
    }

    /** Images that will get the action, over all regions. */
    @JsonIgnore
    public int actionCount() {
        return regions.stream().mapToInt(r -> r.actions().size()).sum();
    }

    /** True when a region could not be planned. */
    @JsonIgnore
    public boolean hasFailures() {
        return regions.stream().anyMatch(RegionPlan::failed);
    }

    public String toJson() {
        return write(this);
    }

    static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
