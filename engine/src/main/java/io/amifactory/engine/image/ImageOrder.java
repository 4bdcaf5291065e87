package io.amifactory.engine.image;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The one definition of "newest AMI" used everywhere (tracking, build sources, amiLatest, pruning).
 *
 * <p>Newest by {@code CreationDate}. Ties (vendors often register several AMIs in the same second) are
 * broken by the AMI name, greater first, because vendors embed versions and dates in names; then by the
 * image id, greater first, so that the answer never depends on the order EC2 returned the images in.
 * An image whose creation date is missing or unreadable sorts as the oldest.
 */
public final class ImageOrder {
    public static final Comparator<Image> NEWEST_FIRST =
            newestFirst(i -> creationInstant(i.creationDate()), Image::name, Image::imageId);

    private ImageOrder() {
    }

    /**
     * The same order for any value that knows its creation instant, name and image id (the pruner keeps
     * lean records instead of SDK images).
     */
    public static <T> Comparator<T> newestFirst(Function<T, Instant> created, Function<T, String> name,
            Function<T, String> imageId) {
        return Comparator.comparing((T t) -> created.apply(t) == null ? Instant.EPOCH : created.apply(t))
                .thenComparing(t -> nullToEmpty(name.apply(t)))
                .thenComparing(t -> nullToEmpty(imageId.apply(t)))
                .reversed();
    }

    public static Optional<Image> newest(Collection<Image> images) {
        return images.stream().min(NEWEST_FIRST);
    }

    /** Parses EC2's ISO-8601 creation date; anything unreadable counts as the epoch. */
    public static Instant creationInstant(String creationDate) {
        if (creationDate == null || creationDate.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(creationDate);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
