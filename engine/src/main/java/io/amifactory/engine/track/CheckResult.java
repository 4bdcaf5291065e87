package io.amifactory.engine.track;

/** One line of a check: a tracked image in a region. */
public record CheckResult(String image, String region, String imageId, String imageName, String creationDate,
        String previousImageId, CheckStatus status, String error) {
}
