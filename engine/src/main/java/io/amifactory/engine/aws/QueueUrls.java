package io.amifactory.engine.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of an SQS queue URL, checked before any call: {@code https://sqs.REGION.amazonaws.com/ACCOUNT/NAME}
 * (the form SQS gives out; {@code .amazonaws.com.cn} in China), the legacy
 * {@code https://REGION.queue.amazonaws.com/ACCOUNT/NAME}, or an emulator's {@code http://localhost:PORT/ACCOUNT/NAME}
 * (or {@code 127.0.0.1}), which names no region.
 */
public final class QueueUrls {
    private static final String PATH = "/(\\d{12})/([A-Za-z0-9_-]{1,75}(\\.fifo)?|[A-Za-z0-9_-]{1,80})";
    private static final Pattern AWS = Pattern.compile(
            "https://(?:sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?|([a-z0-9-]+)\\.queue\\.amazonaws\\.com(?:\\.cn)?)"
                    + PATH);
    private static final Pattern EMULATOR = Pattern.compile("https?://(?:localhost|127\\.0\\.0\\.1)(?::\\d{1,5})?" + PATH);

    private QueueUrls() {
    }

    /** The problem with a queue URL, or null when it is fine. */
    public static String problem(String url) {
        if (url == null || url.isBlank()) {
            return "must be an SQS queue URL (like https://sqs.us-east-1.amazonaws.com/123456789012/ami-updates)";
        }
        Matcher aws = AWS.matcher(url);
        if (aws.matches()) {
            String region = aws.group(1) != null ? aws.group(1) : aws.group(2);
            return RegionNames.isValid(region) ? null
                    : "'" + url + "' names '" + region + "', which is not an AWS region name (like us-east-1)";
        }
        if (EMULATOR.matcher(url).matches()) {
            return null;
        }
        return "'" + url + "' is not an SQS queue URL (like https://sqs.us-east-1.amazonaws.com/123456789012/ami-updates: "
                + "https, the queue's region, the 12-digit account id that owns it, and its name)";
    }

    /** The region a valid queue URL names, or null for an emulator's URL. */
    public static String region(String url) {
        Matcher aws = AWS.matcher(url);
        if (aws.matches()) {
            return aws.group(1) != null ? aws.group(1) : aws.group(2);
        }
        return null;
    }

    /** The queue's name: the last segment of the URL. */
    public static String name(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
