package io.amifactory.engine.aws;

import java.util.regex.Pattern;

/**
 * The shapes of AWS identifiers that users type, checked before any call. One definition each, used by
 * every input format (tracked images, build specs, share and prune requests).
 */
public final class AwsIds {
    /** Any AWS partition: aws, aws-cn, aws-us-gov, ... */
    private static final String PARTITION = "arn:aws(-[a-z]+)*";

    /** ami- and 8 (older) or 17 (current) hex digits; anything between is accepted for emulators' sake. */
    public static final Pattern IMAGE_ID = Pattern.compile("ami-[0-9a-f]{8,17}");
    /** An AWS account id: exactly 12 digits. */
    public static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** arn:aws:organizations::111122223333:organization/o-exampleorgid */
    public static final Pattern ORGANIZATION_ARN =
            Pattern.compile(PARTITION + ":organizations::\\d{12}:organization/o-[a-z0-9]{10,32}");
    /** arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-cdef3456 */
    public static final Pattern OU_ARN = Pattern.compile(
            PARTITION + ":organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}");
    /** arn:aws:iam::123456789012:role/path/name */
    public static final Pattern ROLE_ARN = Pattern.compile(PARTITION + ":iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private AwsIds() {
    }
}
