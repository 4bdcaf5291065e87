package io.amifactory.engine.image;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Short, log-safe descriptions of AWS errors for reports and progress lines. */
public final class AwsErrorText {
    private AwsErrorText() {
    }

    /** The AWS error code, or null when the failure did not come from an AWS service answer. */
    public static String code(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return null;
    }

    /** {@code Code: message} for service errors; the first line of the message otherwise. */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            String code = a.awsErrorDetails().errorCode();
            String message = a.awsErrorDetails().errorMessage();
            if (code != null && message != null) {
                return code + ": " + message;
            }
            if (code != null) {
                return code + " (HTTP " + a.statusCode() + ")";
            }
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
