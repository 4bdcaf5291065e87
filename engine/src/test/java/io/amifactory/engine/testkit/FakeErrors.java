package io.amifactory.engine.testkit;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** AWS errors as the SDK raises them, for fakes to throw. */
public final class FakeErrors {
    private FakeErrors() {
    }

    public static Ec2Exception ec2(int status, String code, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("EC2").build())
                .build();
    }

    public static SsmException ssm(int status, String code, String message) {
        return (SsmException) SsmException.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("SSM").build())
                .build();
    }

    /**
     * What the SDK does when the calling thread is interrupted (a Jenkins shutdown): sets the thread's interrupt
     * flag and throws AbortedException. Call it where the fake would make the call.
     */
    public static AbortedException interrupted() {
        Thread.currentThread().interrupt();
        return AbortedException.create("Thread was interrupted");
    }

    public static Ec2Exception ec2Throttled() {
        return ec2(503, "RequestLimitExceeded", "Request limit exceeded.");
    }

    public static SsmException ssmThrottled() {
        return ssm(400, "ThrottlingException", "Rate exceeded");
    }

    public static SsmException ssmAccessDenied(String what) {
        return ssm(400, "AccessDeniedException", "User is not authorized to perform ssm:GetParameters on " + what);
    }
}
