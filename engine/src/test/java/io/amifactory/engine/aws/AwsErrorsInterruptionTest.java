package io.amifactory.engine.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.testkit.FakeErrors;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import org.apache.http.conn.ConnectTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkInterruptedException;

/** The one reading of "the thread was interrupted": each way an interrupt reaches the engine, and the look-alikes. */
class AwsErrorsInterruptionTest {

    @AfterEach
    void clearTheFlag() {
        Thread.interrupted();
    }

    @Test
    void theSdksAbortedExceptionIsAnInterruptionAndNotTransient() {
        AbortedException aborted = AbortedException.create("Thread was interrupted", new SdkInterruptedException());
        assertTrue(AwsErrors.isInterruption(aborted));
        assertFalse(AwsErrors.isTransient(aborted), "its cause is an IOException-like interrupt, never worth a retry");
        assertTrue(AwsErrors.isInterruption(AbortedException.create("Thread was interrupted")));
    }

    @Test
    void aClientExceptionCausedByAnInterruptAnywhereDownTheChainIsAnInterruption() {
        assertTrue(AwsErrors.isInterruption(SdkClientException.create("Unable to execute HTTP request",
                new InterruptedException("sleep interrupted"))));
        assertTrue(AwsErrors.isInterruption(SdkClientException.create("Unable to execute HTTP request",
                new InterruptedIOException("interrupted"))));
        assertFalse(AwsErrors.isTransient(SdkClientException.create("Unable to execute HTTP request",
                new InterruptedIOException("interrupted"))), "an IOException, but an interrupt: not retried");
        assertTrue(AwsErrors.isInterruption(SdkClientException.create("Could not resolve AWS credentials 'jenkins'",
                new IllegalStateException("wrapped", AbortedException.create("Thread was interrupted")))));
        assertTrue(AwsErrors.isInterruption(new UncheckedIOException(new ClosedByInterruptException())),
                "a file written while interrupted");
    }

    @Test
    void theInterruptFlagAloneMakesAnyFailureAnInterruption() {
        Thread.currentThread().interrupt();
        assertTrue(AwsErrors.isInterruption(FakeErrors.ec2Throttled()));
        assertFalse(AwsErrors.isTransient(FakeErrors.ec2Throttled()), "no retry while interrupted");
        assertTrue(Thread.currentThread().isInterrupted(), "reading does not clear the flag");
    }

    @Test
    void timeoutsAndAwsAnswersAreNotInterruptions() {
        ApiCallTimeoutException callTimeout = ApiCallTimeoutException.create(120_000);
        assertFalse(AwsErrors.isInterruption(callTimeout), "the SDK's call timeout interrupts, but is a timeout");
        assertTrue(AwsErrors.isTransient(callTimeout));
        SdkClientException readTimeout = SdkClientException.create("Unable to execute HTTP request: Read timed out",
                new SocketTimeoutException("Read timed out"));
        assertFalse(AwsErrors.isInterruption(readTimeout), "SocketTimeoutException is an InterruptedIOException");
        assertTrue(AwsErrors.isTransient(readTimeout));
        SdkClientException connectTimeout = SdkClientException.create("Unable to execute HTTP request",
                new ConnectTimeoutException("Connect to ec2.eu-west-1.amazonaws.com:443 timed out"));
        assertFalse(AwsErrors.isInterruption(connectTimeout), "Apache's ConnectTimeoutException is one too");
        assertTrue(AwsErrors.isTransient(connectTimeout));
        assertFalse(AwsErrors.isInterruption(FakeErrors.ec2(500, "InternalError", "An internal error has occurred.")));
        assertFalse(AwsErrors.isInterruption(FakeErrors.ec2(400, "UnauthorizedOperation", "no")));
    }

    @Test
    void throwIfInterruptionStopsALoopWithTheFlagSetAndLetsEverythingElseThrough() {
        AbortedException aborted = AbortedException.create("Thread was interrupted");
        AwsInterruptedException e = assertThrows(AwsInterruptedException.class,
                () -> AwsErrors.throwIfInterruption(aborted, "sharing ami-0123 in eu-west-1"));
        assertEquals("interrupted while sharing ami-0123 in eu-west-1", e.getMessage());
        assertSame(aborted, e.getCause());
        assertTrue(Thread.interrupted(), "the flag is set for the caller");

        AwsInterruptedException already = new AwsInterruptedException("interrupted while checking", aborted);
        assertSame(already, assertThrows(AwsInterruptedException.class,
                () -> AwsErrors.throwIfInterruption(already, "something else")), "not wrapped twice");
        assertTrue(Thread.interrupted());

        AwsErrors.throwIfInterruption(FakeErrors.ec2Throttled(), "sharing"); // returns
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
