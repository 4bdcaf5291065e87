package io.amifactory.engine.build;

import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** How the build reads AWS errors: worth retrying, meaning "not there", or final. */
final class AwsErrors {
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

    static String code(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return null;
    }

    static boolean hasCode(Throwable e, String code) {
        return code.equals(code(e));
    }

    static boolean isThrottling(Throwable e) {
        return (e instanceof SdkServiceException s && s.isThrottlingException()) || THROTTLING.contains(code(e));
    }

    /** Throttling, server-side trouble and network failures: the same call may well work a little later. */
    static boolean isTransient(Throwable e) {
        if (isThrottling(e) || TRANSIENT.contains(code(e))) {
            return true;
        }
        if (e instanceof AwsServiceException a) {
            return a.statusCode() >= 500;
        }
        return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || (e instanceof SdkClientException && e.getCause() instanceof IOException);
    }

    static boolean isNotFound(Throwable e) {
        String c = code(e);
        return c != null && (c.endsWith(".NotFound") || c.endsWith(".Malformed") || NOT_FOUND.contains(c));
    }

    /** "ErrorCode: message" for AWS errors, the message otherwise. Never includes request parameters. */
    static String describe(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            String msg = a.awsErrorDetails().errorMessage();
            String code = a.awsErrorDetails().errorCode();
            if (code == null) {
                code = "HTTP " + a.statusCode();
            }
            return msg == null || msg.isBlank() ? code : code + ": " + msg;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
