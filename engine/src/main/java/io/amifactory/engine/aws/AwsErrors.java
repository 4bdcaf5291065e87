package io.amifactory.engine.aws;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Set;
import org.apache.http.conn.ConnectTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one reading of AWS errors: an interruption of the calling thread, worth retrying, meaning "not there",
 * or final; and a short, log-safe description (error code and AWS's message, never request parameters) for
 * reports and progress lines.
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

    /** Causes followed when looking for an interruption: far more than any real chain, and no cycles. */
    private static final int MAX_CAUSES = 16;

    /**
     * True when {@code e} means that the calling thread was interrupted, not that AWS or the network failed:
     * the thread's interrupt flag is set; or {@code e} or a cause is the SDK's {@link AbortedException} (how the
     * SDK reports an interrupt), an {@link InterruptedException}, an {@link InterruptedIOException} that is
     * not a timeout, a {@link ClosedByInterruptException} (a file written while interrupted), or an
     * {@link AwsInterruptedException}. Whatever was under way should stop where it is, undo nothing and count
     * no error: the work can carry on later. The SDK's own call timeouts interrupt the thread too, but clear the
     * flag and report {@link ApiCallTimeoutException}: those are timeouts, read by {@link #isTransient}.
     */
    public static boolean isInterruption(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return false;
        }
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof AwsInterruptedException || t instanceof AbortedException || t instanceof InterruptedException
                    || t instanceof ClosedByInterruptException || (t instanceof InterruptedIOException && !isTimeout(t))) {
                return true;
            }
        }
        return false;
    }

    /**
     * For loops over regions, images or pairs that record a failure per item and go on: an interruption is
     * not that item's failure (and every later call would fail the same way at once), so this throws an
     * {@link AwsInterruptedException} ("interrupted while {@code doing}") with the thread's interrupt flag set
     * again. Returns when {@code e} is not an interruption.
     */
    public static void throwIfInterruption(Throwable e, String doing) {
        if (!isInterruption(e)) {
            return;
        }
        Thread.currentThread().interrupt();
        if (e instanceof AwsInterruptedException already) {
            throw already;
        }
        throw new AwsInterruptedException("interrupted while " + doing, e);
    }

    /** Socket and connect timeouts (the JDK's, Apache's) extend InterruptedIOException but are network trouble. */
    private static boolean isTimeout(Throwable t) {
        return t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException;
    }

    /**
     * Throttling, server-side trouble and network failures: the same call may well work a little later. Never
     * an {@linkplain #isInterruption interruption}: that is not worth a retry.
     */
    public static boolean isTransient(Throwable e) {
        if (isInterruption(e)) {
            return false;
        }
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
