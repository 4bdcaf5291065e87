package io.amifactory.engine.track;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An upstream image the factory watches: a unique name, where its current AMI comes from, the regions
 * to watch it in (empty = the caller's defaults), an optional role to read it as (another account), and an
 * optional SQS queue whose messages say "look now" (subscribed to the upstream's release topic; the AMI still
 * comes from the source, never from a message).
 */
public record TrackedImage(String name, ImageSource source, List<String> regions, String roleArn, String externalId,
        String notificationQueue) {
    /** Letters, digits, '.', '_', '-'; it appears in tags, file names and Jenkins URLs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public TrackedImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        regions = regions == null ? List.of() : List.copyOf(regions);
    }

    public TrackedImage(String name, ImageSource source, List<String> regions, String roleArn, String externalId) {
        this(name, source, regions, roleArn, externalId, null);
    }

    public TrackedImage(String name, ImageSource source, List<String> regions) {
        this(name, source, regions, null, null, null);
    }

    /** The regions an image is watched in: its own, or the defaults when it lists none. */
    public static List<String> regionsOr(List<String> own, List<String> defaultRegions) {
        if (own != null && !own.isEmpty()) {
            return own;
        }
        return defaultRegions == null ? List.of() : defaultRegions;
    }

    /** The same image in other regions (everything else kept). */
    public TrackedImage withRegions(List<String> regions) {
        return new TrackedImage(name, source, regions, roleArn, externalId, notificationQueue);
    }
}
