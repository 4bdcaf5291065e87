package io.amifactory.engine.aws;

import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one reading of AWS errors: worth retrying, meaning "not there", or final; and a short, log-safe
 * description (error code and AWS's message, never request parameters) for reports and progress lines.
 */
public final class AwsErrors {
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "ThrottledException",
            "SlowDown", "EC2ThrottledException");
    private static final Set<String> TRANSIENT = Set.of("InternalError", "InternalFailure", "InternalServerError",
            "ServiceUnavailable", "Unavailable", "RequestTimeout", "RequestTimeoutException", "InsufficientInstanceCapacity");
    private static final Set<String> NOT_FOUND = Set.of("InvalidAMIID.Unavailable", "ParameterNotFound",
            "InvocationDoesNotExist", "AutomationExecutionNotFoundException", "InvalidDocument", "InvalidInstanceId",
            "InvalidCommandId");

    private AwsErrors() {
    }

    /** The AWS error code, or null when the failure did not come from an AWS service answer. */
    public static String code(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return null;
    }

    public static boolean hasCode(Throwable e, String code) {
        return code.equals(code(e));
    }

    public static boolean isThrottling(Throwable e) {
        String code = code(e);
        return (e instanceof SdkServiceException s && s.isThrottlingException()) || (code != null && THROTTLING.contains(code));
    }

    /** Throttling, server-side trouble and network failures: the same call may well work a little later. */
    public static boolean isTransient(Throwable e) {
        String code = code(e);
        if (isThrottling(e) || (code != null && TRANSIENT.contains(code))) {
            return true;
        }
        if (e instanceof AwsServiceException a) {
            return a.statusCode() >= 500;
        }
        return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || (e instanceof SdkClientException && e.getCause() instanceof IOException);
    }

    public static boolean isNotFound(Throwable e) {
        String c = code(e);
        return c != null && (c.endsWith(".NotFound") || c.endsWith(".Malformed") || NOT_FOUND.contains(c));
    }

    /** {@code Code: message} for service errors; the first line of the message otherwise. */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            String code = a.awsErrorDetails().errorCode();
            String message = a.awsErrorDetails().errorMessage();
            if (code == null) {
                code = "HTTP " + a.statusCode();
            }
            return message == null || message.isBlank() ? code : code + ": " + message;
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
