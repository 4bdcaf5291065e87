package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * For the calls that create something billable (RunInstances, CreateImage, CopyImage) or run the customer's
 * script (SSM SendCommand, which takes no client token either): the SDK retries them
 * only when AWS said it did nothing (throttled), never after a dropped connection or a server error, when the
 * call may have been carried out. A blind retry then makes a second instance or image wherever the client
 * token is not honoured, and CreateImage has no token at all (its retry fails with
 * {@code InvalidAMIName.Duplicate}). The failure goes to the build machine instead, whose retry of the phase
 * first looks for what the lost attempt made (by the build-id tag) before asking again.
 */
final class SingleAttempt {
    static final AwsRequestOverrideConfiguration OVERRIDE = AwsRequestOverrideConfiguration.builder()
            .addPlugin(config -> config.overrideConfiguration(o -> o.retryStrategy(onlyWhenThrottled(o.retryStrategy()))))
            .build();

    private SingleAttempt() {
    }

    /** The client's attempts and the adaptive back-off (as in AwsClients), for throttling only. */
    private static RetryStrategy onlyWhenThrottled(RetryStrategy client) {
        return AdaptiveRetryStrategy.builder()
                .maxAttempts(client == null ? 3 : client.maxAttempts())
                .retryOnException(AwsErrors::isThrottling)
                .treatAsThrottling(AwsErrors::isThrottling)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(20)))
                .build();
    }
}
