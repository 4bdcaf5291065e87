package io.amifactory.cli;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsSettings;
import io.amifactory.engine.aws.ProxySettings;
import io.amifactory.engine.aws.RegionNames;
import io.amifactory.engine.aws.RoleArns;
import io.amifactory.engine.emulator.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The AWS options every subcommand takes (after the subcommand name), and the
 * one place the CLI turns them into {@link AwsClients}.
 */
public final class AwsOptions implements AutoCloseable {
    static final String SANDBOX_REGION = "us-east-1";

    @Option(names = "--profile", paramLabel = "P",
            description = "Named profile from ~/.aws/config and ~/.aws/credentials.")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint (an emulator). Default: $AWS_ENDPOINT_URL.")
    URI endpoint;

    @Option(names = "--role-arn", paramLabel = "ARN",
            description = "Assume this IAM role for every call.")
    String roleArn;

    @Option(names = "--external-id", paramLabel = "ID",
            description = "External id for --role-arn.")
    String externalId;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "Send every AWS call through this HTTP proxy, http://host:port. Default: $HTTPS_PROXY "
                    + "($HTTP_PROXY with an http:// endpoint). A proxy user and password are taken only from that "
                    + "variable (http://user:password@host:port), never from the command line. Hosts in $NO_PROXY "
                    + "are reached directly.")
    String proxy;

    @Option(names = "--sandbox",
            description = "Run against Moto, an AWS emulator started on a free loopback port for this command "
                    + "(python3 -m moto.server), with dummy credentials. No AWS account needed.")
    boolean sandbox;

    /** The process environment; tests give another. */
    java.util.function.Function<String, String> environment = System::getenv;
    private MotoServer moto;
    private AwsClients clients;
    /** The first {@code --region} of the command, when it has one: where the caller works. */
    private String commandRegion;

    /**
     * The clients for this command; starts the sandbox on first use. The options are checked first, so a
     * command line that makes no sense fails (exit 2) before anything is sent anywhere.
     */
    public AwsClients clients() throws IOException {
        if (clients == null) {
            validate();
            // --role-arn calls STS where the command works: the partition's own STS (China, GovCloud)
            String home = commandRegion != null ? commandRegion : configuredRegion();
            AwsSettings.Builder b = AwsSettings.builder().profile(profile).role(roleArn, externalId)
                    .homeRegion(RegionNames.isValid(home) ? home : null);
            if (sandbox) {
                moto = MotoServer.start();
                b.endpoint(moto.endpoint())
                        .profile(null)
                        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("sandbox", "sandbox")));
            } else {
                URI ep = endpoint != null ? endpoint : envEndpoint();
                b.endpoint(ep).proxy(proxySettings(ep));
            }
            clients = new AwsClients(b.build());
        }
        return clients;
    }

    /** Rejects options that would otherwise fail later, after calls, or be ignored without a word. */
    void validate() {
        if (roleArn != null) {
            String problem = RoleArns.problem(roleArn.trim());
            if (problem != null) {
                throw new UsageException("--role-arn: " + problem);
            }
        }
        if (externalId != null && roleArn == null) {
            throw new UsageException("--external-id: only applies with --role-arn");
        }
        if (sandbox && endpoint != null) {
            throw new UsageException("--sandbox starts its own emulator: leave out --endpoint-url");
        }
        if (sandbox && profile != null) {
            throw new UsageException("--sandbox uses dummy credentials: leave out --profile");
        }
        if (sandbox && proxy != null) {
            throw new UsageException("--sandbox runs the emulator on this machine: leave out --proxy");
        }
        if (!sandbox) {
            URI ep = endpoint != null ? endpoint : envEndpoint();
            checkEndpoint(ep, endpoint != null ? "--endpoint-url" : "AWS_ENDPOINT_URL");
            proxySettings(ep);
        }
    }

    /**
     * The proxy for every call: {@code --proxy}, else the variable curl and the AWS CLI read for the endpoint's
     * scheme ({@code https_proxy}/{@code HTTPS_PROXY}; {@code http_proxy}/{@code HTTP_PROXY} for an http://
     * emulator), with {@code NO_PROXY}'s hosts reached directly; null when none is set (the SDK's defaults then
     * apply: the JVM's proxy properties). A user and password come only from the variable: a command line is
     * visible to every user of the machine.
     */
    ProxySettings proxySettings(URI endpointInUse) {
        String where;
        String url;
        if (proxy != null) {
            where = "--proxy";
            url = proxy;
        } else {
            boolean plainHttp = endpointInUse != null && "http".equalsIgnoreCase(endpointInUse.getScheme());
            where = plainHttp ? "HTTP_PROXY" : "HTTPS_PROXY";
            url = plainHttp ? env("http_proxy", "HTTP_PROXY") : env("https_proxy", "HTTPS_PROXY");
            if (url == null) {
                return null;
            }
        }
        ProxySettings p;
        try {
            p = ProxySettings.fromUrl(url).nonProxyHosts(ProxySettings.noProxyPatterns(env("no_proxy", "NO_PROXY")))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + ": " + e.getMessage()); // never the URL: it may hold a password
        }
        if (proxy != null && p.hasCredentials()) {
            throw new UsageException("--proxy: give the proxy's user and password in HTTPS_PROXY "
                    + "(http://user:password@host:port), not on the command line, where other users can read them");
        }
        return p;
    }

    private String env(String... names) {
        for (String n : names) {
            String v = environment.apply(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static void checkEndpoint(URI uri, String where) {
        if (uri == null) {
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException(where + ": '" + uri + "' is not an http or https URL (like http://localhost:5000)");
        }
    }

    /**
     * The regions to work in when the input names none: {@code --region} values if given, else the
     * region of the AWS configuration (AWS_REGION, the profile), else none.
     */
    public List<String> defaultRegions(List<String> cliRegions) {
        if (cliRegions != null && !cliRegions.isEmpty()) {
            commandRegion = cliRegions.get(0);
            return cliRegions;
        }
        String configured = configuredRegion();
        return configured == null ? List.of() : List.of(configured);
    }

    /** The sandbox's region, else that of the AWS configuration (AWS_REGION, the profile), else null. */
    private String configuredRegion() {
        if (sandbox) {
            return SANDBOX_REGION;
        }
        try {
            DefaultAwsRegionProviderChain chain = profile == null
                    ? new DefaultAwsRegionProviderChain()
                    : DefaultAwsRegionProviderChain.builder().profileName(profile).build();
            return chain.getRegion().id();
        } catch (SdkClientException noRegion) {
            return null; // no region configured: the caller reports it where it needs one
        }
    }

    public boolean sandbox() {
        return sandbox;
    }

    private URI envEndpoint() {
        String env = environment.apply("AWS_ENDPOINT_URL");
        if (env == null || env.isBlank()) {
            return null;
        }
        try {
            return new URI(env.trim());
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("AWS_ENDPOINT_URL: '" + env.trim() + "' is not an http or https URL (like http://localhost:5000)");
        }
    }

    @Override
    public void close() {
        if (clients != null) {
            clients.close();
        }
        if (moto != null) {
            moto.close();
        }
    }
}
