package io.amifactory.engine.track;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An upstream image the factory watches: a unique name, where its current AMI comes from, the regions
 * to watch it in (empty = the caller's defaults), and an optional role to read it as (another account).
 */
public record TrackedImage(String name, ImageSource source, List<String> regions, String roleArn, String externalId) {
    /** Letters, digits, '.', '_', '-'; it appears in tags, file names and Jenkins URLs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public TrackedImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        regions = regions == null ? List.of() : List.copyOf(regions);
    }

    public TrackedImage(String name, ImageSource source, List<String> regions) {
        this(name, source, regions, null, null);
    }
}
