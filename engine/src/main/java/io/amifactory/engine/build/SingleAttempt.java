package io.amifactory.engine.build;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

/**
 * For the calls that create something billable (RunInstances, CreateImage, CopyImage): the SDK sends them
 * once and never retries them itself. When the connection drops after EC2 carried a call out, a blind retry
 * makes a second instance or image wherever the client token is not honoured, and CreateImage has no token at
 * all (its retry fails with {@code InvalidAMIName.Duplicate}). The failure goes to the build machine instead,
 * whose retry of the phase first looks for what the lost attempt made (by the build-id tag) before asking again.
 */
final class SingleAttempt {
    static final AwsRequestOverrideConfiguration OVERRIDE = AwsRequestOverrideConfiguration.builder()
            .addPlugin(config -> config.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))
            .build();

    private SingleAttempt() {
    }
}
