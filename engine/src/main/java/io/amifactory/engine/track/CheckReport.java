package io.amifactory.engine.track;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amifactory.engine.Json;
import java.util.List;

/**
 * The outcome of one check: a result per (image, region), and the release events not yet acknowledged —
 * the ones this check found plus any an earlier check found that nobody acknowledged.
 */
public record CheckReport(List<CheckResult> results, List<ReleaseEvent> events) {
    public CheckReport {
        results = List.copyOf(results);
        events = List.copyOf(events);
    }

    public boolean anyError() {
        return results.stream().anyMatch(r -> r.status() == CheckStatus.ERROR);
    }

    /** {@code {"results":[...],"events":[...]}} as documented in docs/tracking.md. */
    public ObjectNode toJsonTree() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode rs = root.putArray("results");
        for (CheckResult r : results) {
            ObjectNode n = rs.addObject();
            n.put("image", r.image());
            n.put("region", r.region());
            n.put("imageId", r.imageId());
            n.put("imageName", r.imageName());
            n.put("creationDate", r.creationDate());
            n.put("previousImageId", r.previousImageId());
            n.put("status", r.status().label());
            n.put("error", r.error());
        }
        ArrayNode es = root.putArray("events");
        events.forEach(e -> es.add(e.toJsonTree()));
        return root;
    }
}
