package io.amifactory.engine.track;

import java.util.List;

/** A loaded tracked-images file: the images in file order, and the regions for images that name none. */
public record TrackedImagesFile(List<TrackedImage> images, List<String> defaultRegions) {
    public TrackedImagesFile {
        images = List.copyOf(images);
        defaultRegions = defaultRegions == null ? List.of() : List.copyOf(defaultRegions);
    }
}
