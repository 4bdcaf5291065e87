package io.amifactory.engine.build.spec;

import io.amifactory.engine.aws.AwsIds;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shapes AWS accepts for the identifiers a build spec names. Each check returns the problem in words,
 * or null when the value is fine, so that the reader can attach file, line and field.
 */
public final class SpecRules {
    /** EC2's AMI name rules: 3-128 characters from this set. */
    public static final Pattern AMI_NAME_CHARS = Pattern.compile("[A-Za-z0-9()\\[\\]./\\-'@_ ]*");
    public static final int AMI_NAME_MIN = 3;
    public static final int AMI_NAME_MAX = 128;
    public static final int AMI_DESCRIPTION_MAX = 255;

    /** Build names end up in build ids, tags and file names. */
    public static final Pattern BUILD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final Pattern AMI_ID = AwsIds.IMAGE_ID;
    public static final Pattern ACCOUNT_ID = AwsIds.ACCOUNT;
    private static final String PARTITION = "arn:aws(-[a-z]+)*";
    public static final Pattern ORG_ARN = AwsIds.ORGANIZATION_ARN;
    public static final Pattern OU_ARN = AwsIds.OU_ARN;
    public static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\d[a-z0-9-]*\\.[a-z0-9]+");
    public static final Pattern SUBNET_ID = Pattern.compile("subnet-([0-9a-f]{8}|[0-9a-f]{17})");
    public static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-([0-9a-f]{8}|[0-9a-f]{17})");
    public static final Pattern PROFILE_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    public static final Pattern PROFILE_ARN = Pattern.compile(PARTITION + ":iam::\\d{12}:instance-profile/[\\w+=,.@/-]{1,128}");
    public static final Pattern ROLE_ARN = AwsIds.ROLE_ARN;
    public static final Pattern KEY_PAIR = Pattern.compile("[\\x20-\\x7E]{1,255}");
    public static final Set<String> VOLUME_TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");
    public static final Pattern SSM_DOCUMENT = Pattern.compile("[a-zA-Z0-9_.:/-]{3,128}|arn:aws(-[a-z]+)*:ssm:[a-z0-9-]+:\\d{12}:document/[a-zA-Z0-9_.-]{3,128}");
    public static final Pattern SSM_PARAMETER_PATH = Pattern.compile("/[a-zA-Z0-9_.\\-/]{1,1010}");

    private static final Pattern KMS_KEY_ID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|mrk-[0-9a-f]{32}");
    private static final Pattern KMS_ALIAS = Pattern.compile("alias/[a-zA-Z0-9:/_-]{1,250}");
    private static final Pattern KMS_ARN = Pattern.compile(PARTITION + ":kms:([a-z0-9-]+):(\\d{12}):(key/.+|alias/.+)");
    private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private SpecRules() {
    }

    public static String amiName(String name) {
        if (name.length() < AMI_NAME_MIN || name.length() > AMI_NAME_MAX) {
            return "the AMI name '" + name + "' has " + name.length() + " characters; EC2 takes " + AMI_NAME_MIN
                    + " to " + AMI_NAME_MAX;
        }
        if (!AMI_NAME_CHARS.matcher(name).matches()) {
            return "the AMI name '" + name + "' contains " + firstBad(name)
                    + "; EC2 allows letters, digits, spaces and ( ) [ ] . / - ' @ _";
        }
        return null;
    }

    private static String firstBad(String name) {
        for (int i = 0; i < name.length(); i++) {
            String c = name.substring(i, i + 1);
            if (!AMI_NAME_CHARS.matcher(c).matches()) {
                return "'" + c + "'";
            }
        }
        return "a character EC2 does not allow";
    }

    public static String region(String r) {
        return io.amifactory.engine.aws.RegionNames.problem(r);
    }

    public static String account(String a) {
        return ACCOUNT_ID.matcher(a).matches() ? null : "must be a 12-digit AWS account id, not '" + a + "'";
    }

    public static String organizationArn(String a) {
        return ORG_ARN.matcher(a).matches() ? null
                : "must be an organization ARN like arn:aws:organizations::123456789012:organization/o-exampleorgid, not '" + a + "'";
    }

    public static String organizationalUnitArn(String a) {
        return OU_ARN.matcher(a).matches() ? null
                : "must be an OU ARN like arn:aws:organizations::123456789012:ou/o-exampleorgid/ou-ab12-cdefgh34, not '" + a + "'";
    }

    public static String instanceType(String t) {
        return INSTANCE_TYPE.matcher(t).matches() ? null : "'" + t + "' is not an instance type (like t3.small)";
    }

    public static String subnet(String s) {
        return SUBNET_ID.matcher(s).matches() ? null : "'" + s + "' is not a subnet id (subnet-0123456789abcdef0)";
    }

    public static String securityGroup(String s) {
        return SECURITY_GROUP_ID.matcher(s).matches() ? null : "'" + s + "' is not a security group id (sg-0123456789abcdef0)";
    }

    public static String instanceProfile(String p) {
        if (p.startsWith("arn:")) {
            return PROFILE_ARN.matcher(p).matches() ? null : "'" + p + "' is not an instance profile ARN";
        }
        return PROFILE_NAME.matcher(p).matches() ? null : "'" + p + "' is not an instance profile name or ARN";
    }

    public static String roleArn(String p) {
        return ROLE_ARN.matcher(p).matches() ? null : "'" + p + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/name)";
    }

    public static String keyPair(String k) {
        return KEY_PAIR.matcher(k).matches() ? null : "'" + k + "' is not a key pair name (1-255 printable ASCII characters)";
    }

    public static String volumeType(String t) {
        return VOLUME_TYPES.contains(t) ? null : "'" + t + "' is not an EBS volume type (" + String.join(", ", new java.util.TreeSet<>(VOLUME_TYPES)) + ")";
    }

    /**
     * A KMS key as EC2 takes it (key id, alias, key ARN or alias ARN). An ARN names its region, which must
     * be the region the key is used in: EC2 cannot use a key from another region.
     */
    public static String kmsKey(String k, String usedInRegion) {
        if (KMS_KEY_ID.matcher(k).matches() || KMS_ALIAS.matcher(k).matches()) {
            return null;
        }
        Matcher m = KMS_ARN.matcher(k);
        if (m.matches()) {
            if (usedInRegion != null && !m.group(2).equals(usedInRegion)) {
                return "the KMS key " + k + " is in " + m.group(2) + " but is used in " + usedInRegion
                        + " (give each region its own key)";
            }
            return null;
        }
        return "'" + k + "' is not a KMS key id, alias (alias/name) or ARN";
    }

    /** The account's default EBS key: images encrypted with it cannot be shared with other accounts. */
    public static boolean isDefaultEbsKey(String k) {
        return k == null || k.equals("alias/aws/ebs") || k.endsWith(":alias/aws/ebs");
    }

    public static String ssmDocument(String d) {
        return SSM_DOCUMENT.matcher(d).matches() ? null : "'" + d + "' is not an SSM document name";
    }

    /** SSM parameter names: a path, at most 1011 characters, not under the reserved /aws and /ssm prefixes. */
    public static String parameterPath(String p) {
        if (!SSM_PARAMETER_PATH.matcher(p).matches()) {
            return "'" + p + "' is not an SSM parameter path (starts with '/', letters, digits, _ . - /)";
        }
        String lower = p.toLowerCase(Locale.ROOT);
        if (lower.startsWith("/aws") || lower.startsWith("/ssm")) {
            return "'" + p + "' is under a prefix reserved by AWS (/aws, /ssm)";
        }
        if (p.contains("//") || p.endsWith("/")) {
            return "'" + p + "' has an empty path segment";
        }
        if (p.chars().filter(c -> c == '/').count() > 15) {
            return "'" + p + "' is nested deeper than the 15 levels SSM allows";
        }
        return null;
    }

    /** https:// URLs (fetched with curl or wget) and s3://bucket/key (fetched with the AWS CLI). */
    public static String bootstrapUrl(String u) {
        if (u.chars().anyMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '\\' || c == '`' || c == '$' || c > '~')) {
            return "the URL contains spaces, quotes or other characters that must be percent-encoded";
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            return "'" + u + "' is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri.getHost() == null ? "'" + u + "' has no host" : null;
        }
        if (scheme.equals("s3")) {
            String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
            if (bucket == null || !S3_BUCKET.matcher(bucket).matches()) {
                return "'" + u + "' does not name an S3 bucket (s3://bucket/key)";
            }
            if (uri.getPath() == null || uri.getPath().length() < 2) {
                return "'" + u + "' does not name an object (s3://bucket/key)";
            }
            return null;
        }
        return "must start with https:// or s3:// (plain http is not accepted: the script runs as root)";
    }

    /** Tag keys: 1-128 characters, not aws:, and amifactory: only for the keys users may set. */
    public static String tagKey(String k) {
        if (k.isEmpty() || k.length() > 128) {
            return "tag key '" + k + "' must have 1 to 128 characters";
        }
        if (k.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            return "tag key '" + k + "' uses the prefix aws:, which AWS reserves";
        }
        if (k.startsWith(io.amifactory.engine.Tags.PREFIX) && !k.equals(io.amifactory.engine.Tags.KEEP)) {
            return "tag key '" + k + "' uses the prefix " + io.amifactory.engine.Tags.PREFIX
                    + ", which the factory writes itself (only " + io.amifactory.engine.Tags.KEEP + " may be set)";
        }
        return null;
    }

    public static String tagValue(String v) {
        return v.length() <= 256 ? null : "tag value has " + v.length() + " characters; AWS takes at most 256";
    }
}
