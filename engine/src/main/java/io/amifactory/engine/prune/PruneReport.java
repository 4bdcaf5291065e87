package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The plan and, region by region, what happened to each image it acted on. */
public record PruneReport(PrunePlan plan, List<RegionResult> results) {

    public PruneReport {
        results = List.copyOf(results);
    }

    /** One region's outcome; {@code error} when the region could not be planned (nothing was done). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegionResult(String region, String error, List<ActionResult> actions) {
        public RegionResult {
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    /** True when every region was planned and every action succeeded. */
    @JsonIgnore
    public boolean ok() {
        return results.stream().allMatch(r -> r.error() == null
                && r.actions().stream().allMatch(a -> a.status() == ActionResult.Status.DONE));
    }

    @JsonIgnore
    public List<ActionResult> failures() {
        return results.stream().flatMap(r -> r.actions().stream()).filter(a -> a.status() == ActionResult.Status.FAILED).toList();
    }

    public String toJson() {
        return PrunePlan.write(this);
    }
}
