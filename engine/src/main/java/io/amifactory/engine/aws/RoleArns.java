package io.amifactory.engine.aws;


/** The shape of an IAM role ARN, in every partition; checked before anything asks STS to assume it. */
public final class RoleArns {
    private RoleArns() {
    }

    public static boolean isValid(String arn) {
        return arn != null && AwsIds.ROLE_ARN.matcher(arn).matches();
    }

    /** The problem with a role ARN, or null when it is fine. */
    public static String problem(String arn) {
        return isValid(arn) ? null
                : "'" + arn + "' is not an IAM role ARN (like arn:aws:iam::123456789012:role/ami-reader)";
    }
}
