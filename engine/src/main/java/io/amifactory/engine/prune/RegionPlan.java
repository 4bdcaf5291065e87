package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan for one region: a decision for every selected image, what was read to make it, and
 * notes. When {@code error} is set the region could not be planned and nothing will be done there.
 * {@code leftoverSnapshots} are snapshots an earlier prune left behind (see {@link SnapshotMarks}); they
 * are deleted whatever the selection, since their AMI is gone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegionPlan(String region, String error, Map<String, Integer> scanned, List<String> warnings,
        List<Decision> images, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LeftoverSnapshot> leftoverSnapshots) {

    public RegionPlan {
        scanned = scanned == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scanned));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        images = images == null ? List.of() : List.copyOf(images);
        leftoverSnapshots = leftoverSnapshots == null ? List.of() : List.copyOf(leftoverSnapshots);
    }

    public static RegionPlan failed(String region, String error) {
        return new RegionPlan(region, error, null, null, null, null);
    }

    /** How many images are kept and how many get each action: {@code keep: 7, deregister: 3}. */
    @JsonProperty("summary")
    public Map<String, Integer> summary() {
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("keep", 0);
        for (Decision d : images) {
            out.merge(d.decisionText(), 1, Integer::sum);
        }
        return out;
    }

    /** The summary in words: {@code keep 7, deregister 3}. */
    @JsonIgnore
    public String summaryText() {
        StringBuilder b = new StringBuilder();
        summary().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        if (!leftoverSnapshots.isEmpty()) {
            b.append("; delete ").append(leftoverSnapshots.size()).append(" snapshot(s) an earlier prune left behind");
        }
        return b.toString();
    }

    @JsonIgnore
    public List<Decision> actions() {
        return images.stream().filter(d -> !d.keep()).toList();
    }

    @JsonIgnore
    public boolean failed() {
        return error != null;
    }
}
