package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The plan for one image: keep it, or apply the policy's action, and why.
 *
 * @param action  null when the image is kept
 * @param created creation time, ISO-8601
 * @param detail  the reason in words, e.g. "in use: instance i-0abc (running)"
 */
@JsonPropertyOrder({"imageId", "name", "created", "family", "decision", "reason", "detail", "snapshots"})
public record Decision(String imageId, String name, String created, String family, PruneAction action,
        Reason reason, String detail, List<String> snapshots) {

    public Decision {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    @JsonIgnore
    public boolean keep() {
        return action == null;
    }

    /** {@code keep}, or the action: what the plan JSON shows as "decision". */
    @JsonProperty("decision")
    public String decisionText() {
        return action == null ? "keep" : action.json();
    }

    @Override
    @JsonIgnore
    public PruneAction action() {
        return action;
    }
}
