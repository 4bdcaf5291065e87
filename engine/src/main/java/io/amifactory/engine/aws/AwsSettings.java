package io.amifactory.engine.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How to reach AWS: credentials, optional role to assume, optional home region, optional endpoint override
 * (for emulators), retry budget and proxy. Immutable; build with {@link #builder()}.
 *
 * <p>Credentials: an explicit provider (the Jenkins plugin hands in resolved aws-credentials), else a
 * named profile, else the SDK default chain.
 */
public final class AwsSettings {
    /**
     * Attempts per call, first try included. Measured against wire-level faults (docs/reliability.md): with
     * half of all calls throttled and 5% failing with HTTP 5xx, each attempt fails with p = 0.55, so a call
     * gives up with p^n — 0.84% at 8 attempts (a check cycle over three regions lost ten pairs that way),
     * 0.013% at 15. Calls that succeed are not slowed by a larger budget. A call that AWS throttles without
     * pause gives up after about 100 s instead of 40 s (the adaptive back-off tops out at 20 s a retry), still
     * inside the 2-minute call timeout; a service that is down is cut short by the SDK's retry quota.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 15;

    private final AwsCredentialsProvider credentials;
    private final String profile;
    private final URI endpoint;
    private final String roleArn;
    private final String externalId;
    private final String roleSessionName;
    private final String homeRegion;
    private final int maxAttempts;
    private final Duration apiCallTimeout;
    private final ProxySettings proxy;

    private AwsSettings(Builder b) {
        this.credentials = b.credentials;
        this.profile = blankToNull(b.profile);
        this.endpoint = b.endpoint;
        this.roleArn = blankToNull(b.roleArn);
        this.externalId = blankToNull(b.externalId);
        this.roleSessionName = b.roleSessionName == null ? "amifactory" : b.roleSessionName;
        this.homeRegion = blankToNull(b.homeRegion);
        this.maxAttempts = b.maxAttempts;
        this.apiCallTimeout = b.apiCallTimeout;
        this.proxy = b.proxy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.credentials = credentials;
        b.profile = profile;
        b.endpoint = endpoint;
        b.roleArn = roleArn;
        b.externalId = externalId;
        b.roleSessionName = roleSessionName;
        b.homeRegion = homeRegion;
        b.maxAttempts = maxAttempts;
        b.apiCallTimeout = apiCallTimeout;
        b.proxy = proxy;
        return b;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public String profile() {
        return profile;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String roleArn() {
        return roleArn;
    }

    public String externalId() {
        return externalId;
    }

    public String roleSessionName() {
        return roleSessionName;
    }

    /**
     * The region this process works in (the CLI's configured region, the Jenkins controller's default region),
     * or null. Role assumption calls STS there, at the regional endpoint of its partition.
     */
    public String homeRegion() {
        return homeRegion;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration apiCallTimeout() {
        return apiCallTimeout;
    }

    /**
     * The proxy every call goes through, or null: then the SDK's own defaults apply (the JVM's
     * {@code http.proxyHost}/{@code http.proxyPort} properties, else {@code HTTP_PROXY}).
     */
    public ProxySettings proxy() {
        return proxy;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static final class Builder {
        private AwsCredentialsProvider credentials;
        private String profile;
        private URI endpoint;
        private String roleArn;
        private String externalId;
        private String roleSessionName;
        private String homeRegion;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration apiCallTimeout = Duration.ofMinutes(2);
        private ProxySettings proxy;

        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder role(String roleArn, String externalId) {
            this.roleArn = roleArn;
            this.externalId = externalId;
            return this;
        }

        public Builder roleSessionName(String name) {
            this.roleSessionName = name;
            return this;
        }

        /**
         * The region this process works in; role assumption calls STS's regional endpoint there, which is what
         * makes roles work in the China and GovCloud partitions (their STS is not reached through us-east-1).
         * Optional: without it, STS is called in the region of the first client asked for, and only when none
         * was asked for yet (checking the credentials up front) in us-east-1.
         *
         * @throws IllegalArgumentException when it is not shaped like a region name
         */
        public Builder homeRegion(String region) {
            String r = blankToNull(region);
            if (r != null && !RegionNames.isValid(r)) {
                throw new IllegalArgumentException("home region: " + RegionNames.problem(r));
            }
            this.homeRegion = r;
            return this;
        }

        /** Attempts per call, first try included (SDK retries with adaptive, throttling-aware back-off). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder apiCallTimeout(Duration timeout) {
            this.apiCallTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * The proxy for every client these settings make (STS for role assumption included), and nothing else:
         * the JVM's proxy properties and the environment are then not read. Null: the SDK's own defaults.
         */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = proxy;
            return this;
        }

        public AwsSettings build() {
            return new AwsSettings(this);
        }
    }
}
