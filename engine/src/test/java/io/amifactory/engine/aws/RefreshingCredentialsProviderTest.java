package io.amifactory.engine.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class RefreshingCredentialsProviderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** Hands out queued answers and counts calls, like an STS-backed Jenkins credential would. */
    static final class CountingSource implements Supplier<AwsCredentials> {
        final Deque<Object> answers = new ArrayDeque<>();
        int calls;

        CountingSource then(Object answer) {
            answers.add(answer);
            return this;
        }

        @Override
        public AwsCredentials get() {
            calls++;
            Object next = answers.isEmpty() ? null : answers.poll();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            return (AwsCredentials) next;
        }
    }

    private static AwsSessionCredentials session(String key, Instant expiry) {
        return AwsSessionCredentials.builder().accessKeyId(key).secretAccessKey("secret-" + key)
                .sessionToken("token-" + key).expirationTime(expiry).build();
    }

    private final ManualClock clock = new ManualClock();

    private RefreshingCredentialsProvider provider(CountingSource source) {
        return new RefreshingCredentialsProvider("jenkins-aws", source, Duration.ofMinutes(10),
                Duration.ofMinutes(10), clock);
    }

    @Test
    void resolvesOnceForManyRequestsWhileValid() {
        CountingSource source = new CountingSource().then(session("A", T0.plus(Duration.ofHours(1))));
        RefreshingCredentialsProvider p = provider(source);
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofSeconds(20));
            assertEquals("A", p.resolveCredentials().accessKeyId());
        }
        assertEquals(1, source.calls, "the source (an STS call) must not be asked per request");
    }

    @Test
    void refreshesBeforeExpiryNotAfter() {
        CountingSource source = new CountingSource()
                .then(session("A", T0.plus(Duration.ofHours(1))))
                .then(session("B", T0.plus(Duration.ofHours(2))));
        RefreshingCredentialsProvider p = provider(source);
        assertEquals("A", p.resolveCredentials().accessKeyId());

        clock.now = T0.plus(Duration.ofMinutes(49));
        assertEquals("A", p.resolveCredentials().accessKeyId());
        clock.now = T0.plus(Duration.ofMinutes(50));
        assertEquals("B", p.resolveCredentials().accessKeyId(), "refreshed 10 minutes ahead of expiry");
        assertEquals(2, source.calls);
    }

    @Test
    void shortSessionIsRefreshedHalfWayInsteadOfOnEveryRequest() {
        CountingSource source = new CountingSource()
                .then(session("A", T0.plus(Duration.ofMinutes(8))))
                .then(session("B", T0.plus(Duration.ofHours(1))));
        RefreshingCredentialsProvider p = provider(source);
        p.resolveCredentials();
        clock.advance(Duration.ofMinutes(3));
        assertEquals("A", p.resolveCredentials().accessKeyId());
        assertEquals(1, source.calls);
        clock.advance(Duration.ofMinutes(1));
        assertEquals("B", p.resolveCredentials().accessKeyId());
    }

    @Test
    void credentialsWithoutExpiryAreReResolvedAfterMaxAge() {
        CountingSource source = new CountingSource()
                .then(AwsBasicCredentials.create("OLD", "s1"))
                .then(AwsBasicCredentials.create("ROTATED", "s2"));
        RefreshingCredentialsProvider p = provider(source);
        assertEquals("OLD", p.resolveCredentials().accessKeyId());
        clock.advance(Duration.ofMinutes(9));
        assertEquals("OLD", p.resolveCredentials().accessKeyId());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("ROTATED", p.resolveCredentials().accessKeyId());
    }

    @Test
    void failedRefreshKeepsStillValidCredentialsAndRetriesLater() {
        CountingSource source = new CountingSource()
                .then(session("A", T0.plus(Duration.ofHours(1))))
                .then(new IllegalStateException("STS throttled"))
                .then(session("B", T0.plus(Duration.ofHours(2))));
        RefreshingCredentialsProvider p = provider(source);
        p.resolveCredentials();
        clock.now = T0.plus(Duration.ofMinutes(55));
        assertEquals("A", p.resolveCredentials().accessKeyId(), "still valid: keep working");
        assertEquals("B", p.resolveCredentials().accessKeyId(), "retried on the next request");
        assertEquals(3, source.calls);
    }

    @Test
    void failureAfterExpiryIsAnErrorNamingTheCredentialsButNoSecret() {
        CountingSource source = new CountingSource()
                .then(session("AKIAEXAMPLE", T0.plus(Duration.ofMinutes(30))))
                .then(new IllegalStateException("AccessDenied"));
        RefreshingCredentialsProvider p = provider(source);
        p.resolveCredentials();
        clock.now = T0.plus(Duration.ofMinutes(31));
        SdkClientException e = assertThrows(SdkClientException.class, p::resolveCredentials);
        assertTrue(e.getMessage().contains("jenkins-aws"), e.getMessage());
        assertTrue(e.getMessage().contains("AccessDenied"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-"), e.getMessage());
        assertFalse(e.getMessage().contains("token-"), e.getMessage());
    }

    @Test
    void nothingResolvedIsAnError() {
        RefreshingCredentialsProvider p = provider(new CountingSource());
        SdkClientException e = assertThrows(SdkClientException.class, p::resolveCredentials);
        assertTrue(e.getMessage().contains("resolved to nothing"), e.getMessage());
    }

    @Test
    void seededValueIsUsedWithoutAskingTheSource() {
        CountingSource source = new CountingSource();
        AwsSessionCredentials first = session("SEED", T0.plus(Duration.ofHours(1)));
        RefreshingCredentialsProvider p = provider(source).seed(first);
        assertSame(first, p.resolveCredentials());
        assertEquals(0, source.calls);
    }

    @Test
    void toStringShowsTheLabelOnly() {
        RefreshingCredentialsProvider p = provider(new CountingSource()).seed(session("AKIAEXAMPLE", T0.plus(Duration.ofHours(1))));
        assertEquals("RefreshingCredentialsProvider(jenkins-aws)", p.toString());
    }
}
