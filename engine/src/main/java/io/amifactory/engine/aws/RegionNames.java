package io.amifactory.engine.aws;

import java.util.regex.Pattern;

/**
 * The shape of an AWS region name. Checked by shape rather than against the SDK's list so that a region
 * AWS opens after this release still works; a typo such as {@code us-east} or {@code useast1} does not.
 */
public final class RegionNames {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private RegionNames() {
    }

    public static boolean isValid(String region) {
        return region != null && REGION.matcher(region).matches();
    }

    /** The problem with a region name, or null when it is fine. */
    public static String problem(String region) {
        return isValid(region) ? null
                : "'" + region + "' is not an AWS region name (like us-east-1 or eu-central-2)";
    }
}
