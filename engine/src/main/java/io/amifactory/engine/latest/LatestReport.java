package io.amifactory.engine.latest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.amifactory.engine.Json;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The newest matching image per region, in the order the regions were asked for. */
public record LatestReport(List<LatestImage> regions) {

    public LatestReport {
        regions = List.copyOf(regions);
    }

    /** Region → AMI id, for the regions where one was found. */
    @JsonIgnore
    public Map<String, String> imageIdByRegion() {
        Map<String, String> out = new LinkedHashMap<>();
        regions.stream().filter(LatestImage::found).forEach(r -> out.put(r.region(), r.imageId()));
        return out;
    }

    /** True when an image was found in every region. */
    @JsonIgnore
    public boolean ok() {
        return regions.stream().allMatch(LatestImage::found);
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
