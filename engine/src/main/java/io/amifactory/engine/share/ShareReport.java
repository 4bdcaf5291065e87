package io.amifactory.engine.share;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.amifactory.engine.Json;
import java.io.UncheckedIOException;
import java.util.List;

/** The outcome of a share or unshare, region by region. */
public record ShareReport(ShareRequest.Operation operation, List<RegionShare> regions) {

    public ShareReport {
        regions = List.copyOf(regions);
    }

    /** True when no region failed. */
    @JsonIgnore
    public boolean ok() {
        return regions.stream().noneMatch(r -> r.status() == RegionShare.Status.FAILED);
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonIgnore
    public List<RegionShare> failures() {
        return regions.stream().filter(r -> r.status() == RegionShare.Status.FAILED).toList();
    }
}
