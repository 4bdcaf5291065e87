package io.amifactory.engine.share;

import io.amifactory.engine.aws.AwsIds;
import io.amifactory.engine.image.ImageQuery;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the AMI to share is known in each region: by id (a build result maps each region to the id of
 * its copy), or by a query answered in each region (its newest launchable match).
 */
public sealed interface ImageLocator permits ImageLocator.ById, ImageLocator.ByQuery {
    /** ami- followed by 8 or 17 hex digits (older and newer ids); a little looser to accept emulators. */
    Pattern IMAGE_ID = AwsIds.IMAGE_ID;

    List<String> regions();

    static ImageLocator byId(Map<String, String> imageIdByRegion) {
        return new ById(imageIdByRegion);
    }

    static ImageLocator byQuery(ImageQuery query, List<String> regions) {
        return new ByQuery(query, regions);
    }

    record ById(Map<String, String> imageIdByRegion) implements ImageLocator {
        public ById {
            if (imageIdByRegion == null || imageIdByRegion.isEmpty()) {
                throw new IllegalArgumentException("no image id given");
            }
            imageIdByRegion = Collections.unmodifiableMap(new LinkedHashMap<>(imageIdByRegion));
        }

        @Override
        public List<String> regions() {
            return List.copyOf(imageIdByRegion.keySet());
        }
    }

    record ByQuery(ImageQuery query, List<String> regions) implements ImageLocator {
        public ByQuery {
            if (regions == null || regions.isEmpty()) {
                throw new IllegalArgumentException("no region given");
            }
            regions = List.copyOf(regions);
        }
    }
}
