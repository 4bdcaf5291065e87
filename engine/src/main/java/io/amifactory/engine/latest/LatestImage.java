package io.amifactory.engine.latest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer for one region: the newest matching image, or why there is none.
 *
 * @param imageId null when nothing matched or the lookup failed
 * @param error   why the lookup failed, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatestImage(String region, String imageId, String name, String creationDate, String ownerId,
        String error) {

    public static LatestImage notFound(String region) {
        return new LatestImage(region, null, null, null, null, null);
    }

    public static LatestImage failed(String region, String error) {
        return new LatestImage(region, null, null, null, null, error);
    }

    @JsonIgnore
    public boolean found() {
        return imageId != null;
    }
}
