package io.amifactory.engine.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Resolves credentials from a costly source once and hands the cached value to every SDK request,
 * re-resolving well before it expires.
 *
 * <p>Why: a Jenkins aws-credentials entry with a role performs an STS AssumeRole on every resolve; given
 * to an SDK client directly it would call STS once per request. Credentials that carry an expiry are
 * refreshed {@code refreshBefore} ahead of it; credentials without one (static keys, or a session whose
 * source does not say when it ends) are re-resolved after {@code maxAge}, which is kept below STS's
 * shortest session (15 minutes) and also picks up rotated keys. If a refresh fails while the cached
 * value is still valid, the cached value is used and the refresh is retried on the next request.
 */
public final class RefreshingCredentialsProvider implements AwsCredentialsProvider {
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    private final String label;
    private final Supplier<AwsCredentials> source;
    private final Duration refreshBefore;
    private final Duration maxAge;
    private final Clock clock;

    private AwsCredentials cached;
    private Instant refreshAt;
    private Instant validUntil;

    /**
     * @param label   a name for messages (e.g. the Jenkins credentials id); never a secret
     * @param source  resolves fresh credentials; may be slow (STS); null means "nothing to resolve"
     */
    public RefreshingCredentialsProvider(String label, Supplier<AwsCredentials> source) {
        this(label, source, DEFAULT_REFRESH_BEFORE, DEFAULT_MAX_AGE, Clock.systemUTC());
    }

    public RefreshingCredentialsProvider(String label, Supplier<AwsCredentials> source, Duration refreshBefore,
                                         Duration maxAge, Clock clock) {
        this.label = Objects.requireNonNull(label, "label");
        this.source = Objects.requireNonNull(source, "source");
        this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Seeds the cache with credentials the caller already resolved (so that creating the provider after
     * a first resolve does not cost a second one).
     */
    public synchronized RefreshingCredentialsProvider seed(AwsCredentials first) {
        store(Objects.requireNonNull(first, "first"), clock.instant());
        return this;
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(refreshAt)) {
            return cached;
        }
        AwsCredentials fresh;
        try {
            fresh = source.get();
        } catch (RuntimeException e) {
            if (cached != null && now.isBefore(validUntil)) {
                return cached;
            }
            throw SdkClientException.create("Could not resolve AWS credentials '" + label + "': " + e.getMessage(), e);
        }
        if (fresh == null) {
            if (cached != null && now.isBefore(validUntil)) {
                return cached;
            }
            throw SdkClientException.create("AWS credentials '" + label + "' resolved to nothing");
        }
        store(fresh, now);
        return fresh;
    }

    private void store(AwsCredentials fresh, Instant now) {
        cached = fresh;
        Optional<Instant> expiry = fresh.expirationTime();
        if (expiry.isPresent()) {
            validUntil = expiry.get();
            Instant early = validUntil.minus(refreshBefore);
            // A session shorter than the margin is refreshed half-way instead of on every request.
            refreshAt = early.isAfter(now) ? early : now.plus(Duration.between(now, validUntil).dividedBy(2));
        } else {
            validUntil = Instant.MAX;
            refreshAt = now.plus(maxAge);
        }
    }

    @Override
    public String toString() {
        return "RefreshingCredentialsProvider(" + label + ")";
    }
}
