package io.amifactory.engine.aws;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one place that makes SDK clients. Clients are cached per service, region and role and share one
 * HTTP connection pool; everything else in the engine receives clients from here (or a fake of the
 * same interface in tests).
 *
 * <p>Retries use the SDK's adaptive strategy, which backs off on throttling and rate-limits the client
 * side, with {@link AwsSettings#maxAttempts()} attempts. Assumed-role credentials come from
 * {@link StsAssumeRoleCredentialsProvider}, which caches the session and refreshes it before expiry; it calls
 * STS at the regional endpoint of {@link #stsRegion()}.
 */
public final class AwsClients implements ClientSource, AutoCloseable {
    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final boolean ownsHttp;
    private final AwsCredentialsProvider credentials;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsClients> roles = new ConcurrentHashMap<>();
    private final RoleCredentials roleCredentials;
    /** The region of the first client asked for: where STS is called when there is no home region. */
    private final AtomicReference<String> firstRegion = new AtomicReference<>();

    public AwsClients(AwsSettings settings) {
        this(settings, buildHttp(settings), true, null, null);
    }

    private AwsClients(AwsSettings settings, SdkHttpClient http, boolean ownsHttp, AwsCredentialsProvider base,
            String knownRegion) {
        this.settings = Objects.requireNonNull(settings);
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.firstRegion.set(knownRegion);
        AwsCredentialsProvider baseCredentials = base != null ? base : baseCredentials(settings);
        if (settings.roleArn() != null) {
            this.roleCredentials = new RoleCredentials(baseCredentials);
            this.credentials = roleCredentials;
        } else {
            this.roleCredentials = null;
            this.credentials = baseCredentials;
        }
    }

    public AwsSettings settings() {
        return settings;
    }

    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    /**
     * Clients that act as {@code roleArn} (assumed with these clients' credentials), sharing the HTTP
     * pool. A blank role returns this instance. Cached: the same role gives the same clients.
     */
    @Override
    public AwsClients forRole(String roleArn, String externalId) {
        if (roleArn == null || roleArn.isBlank()) {
            return this;
        }
        String key = roleArn + "\u0000" + (externalId == null ? "" : externalId);
        return roles.computeIfAbsent(key, k -> new AwsClients(
                settings.toBuilder().role(roleArn, externalId).build(), http, false, credentials, firstRegion.get()));
    }

    @Override
    public Ec2Client ec2(String region) {
        return cached("ec2", region, () -> configure(Ec2Client.builder(), region, credentials).build());
    }

    @Override
    public SsmClient ssm(String region) {
        return cached("ssm", region, () -> configure(SsmClient.builder(), region, credentials).build());
    }

    @Override
    public AutoScalingClient autoScaling(String region) {
        return cached("autoscaling", region, () -> configure(AutoScalingClient.builder(), region, credentials).build());
    }

    @Override
    public KmsClient kms(String region) {
        return cached("kms", region, () -> configure(KmsClient.builder(), region, credentials).build());
    }

    @Override
    public SqsClient sqs(String region) {
        return cached("sqs", region, () -> configure(SqsClient.builder(), region, credentials).build());
    }

    public StsClient sts(String region) {
        return cached("sts", region, () -> configure(StsClient.builder(), region, credentials).build());
    }

    /**
     * Resolves the credentials once, so that a missing configuration is one clear error before any
     * work starts rather than one error per region.
     */
    public void verifyCredentials() {
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            AwsErrors.throwIfInterruption(e, "resolving AWS credentials"); // not "no credentials"
            throw new NoCredentialsException(
                    "No AWS credentials found (" + firstLine(e.getMessage()) + "). Provide them with "
                            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile (AWS_PROFILE), or an instance or "
                            + "container role.", e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SdkAutoCloseable> T cached(String service, String region, Supplier<T> make) {
        Objects.requireNonNull(region, "region");
        firstRegion.compareAndSet(null, region);
        return (T) clients.computeIfAbsent(service + "@" + region, k -> make.get());
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region, AwsCredentialsProvider creds) {
        builder.region(Region.of(region))
                .credentialsProvider(creds)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts()).build())
                        .apiCallTimeout(settings.apiCallTimeout())
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        return builder;
    }

    /**
     * Where role assumption calls STS: the {@linkplain AwsSettings#homeRegion() home region}, else the region of
     * the first client asked for, else (credentials checked before any client was asked for) us-east-1. Always
     * a regional endpoint of the partition the caller works in: the China and GovCloud partitions have their
     * own STS, and a call from there must not go to us-east-1.
     */
    String stsRegion() {
        if (settings.homeRegion() != null) {
            return settings.homeRegion();
        }
        String first = firstRegion.get();
        return first != null ? first : "us-east-1";
    }

    /** The STS client role assumption uses (made now if not yet); null without a role. For tests. */
    StsClient roleSts() {
        return roleCredentials == null ? null : roleCredentials.sts();
    }

    /**
     * Assumed-role credentials whose STS client is made at the first resolve rather than with these clients: by
     * then the region to call STS in is known ({@link #stsRegion()}).
     */
    private final class RoleCredentials implements AwsCredentialsProvider, SdkAutoCloseable {
        private final AwsCredentialsProvider base;
        private StsClient sts;
        private StsAssumeRoleCredentialsProvider assumed;

        RoleCredentials(AwsCredentialsProvider base) {
            this.base = base;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            return assumed().resolveCredentials();
        }

        synchronized StsClient sts() {
            if (sts == null) {
                sts = configure(StsClient.builder(), stsRegion(), base).build();
            }
            return sts;
        }

        private synchronized StsAssumeRoleCredentialsProvider assumed() {
            if (assumed == null) {
                assumed = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts())
                        .refreshRequest(r -> {
                            r.roleArn(settings.roleArn()).roleSessionName(settings.roleSessionName());
                            if (settings.externalId() != null) {
                                r.externalId(settings.externalId());
                            }
                        })
                        .build();
            }
            return assumed;
        }

        @Override
        public synchronized void close() {
            if (assumed != null) {
                assumed.close();
            }
            if (sts != null) {
                sts.close();
            }
        }

        @Override
        public String toString() {
            return "RoleCredentials(" + settings.roleArn() + ")";
        }
    }

    private static AwsCredentialsProvider baseCredentials(AwsSettings settings) {
        if (settings.credentials() != null) {
            return settings.credentials();
        }
        if (settings.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(settings.profile()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static SdkHttpClient buildHttp(AwsSettings settings) {
        ApacheHttpClient.Builder b = ApacheHttpClient.builder().maxConnections(64);
        if (settings.proxy() != null) {
            b.proxyConfiguration(settings.proxy().toApacheConfiguration());
        }
        return b.build();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown reason";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    @Override
    public void close() {
        roles.values().forEach(AwsClients::close);
        clients.values().forEach(SdkAutoCloseable::close);
        if (roleCredentials != null) {
            roleCredentials.close();
        }
        if (ownsHttp) {
            http.close();
        }
    }
}
