package io.amifactory.engine.aws;

/**
 * AWS work stopped because the thread doing it was interrupted (Jenkins shutting down, a stopped step): not
 * an AWS answer and not a failure. Nothing was undone; the caller should stop too and may carry on later.
 * Whoever throws it sets the thread's interrupt flag again, so that the caller's own waits end at once as
 * well. {@link AwsErrors#isInterruption} is the one test for "was this an interrupt".
 */
public class AwsInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AwsInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
