package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.ProxySettings;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy the environment names (HTTPS_PROXY for AWS, HTTP_PROXY for an http:// emulator endpoint), with its
 * user and password, and NO_PROXY: the way the CLI takes proxy credentials. Which variable counts is read from a
 * given environment; on the wire, a child JVM gets a real one.
 */
@ExtendWith(MotoExtension.class)
class ProxyEnvironmentTest {
    /** With an @ and a space, percent-encoded in the URL as they must be. */
    private static final String PASSWORD = "s3cr3t@pr0xy pw";
    private static final String ENCODED = "s3cr3t%40pr0xy%20pw";

    @TempDir
    Path dir;

    private String check(java.net.URI endpoint, Map<String, String> env) throws Exception {
        Path config = Files.writeString(dir.resolve("t.yaml"), "images:\n  - {name: a, parameter: /x, regions: [us-east-1]}\n");
        ProcessBuilder pb = ChildCli.of(dir, List.of("check", "--config", config.toString(), "--state",
                dir.resolve("state.json").toString(), "--endpoint-url", endpoint.toString()));
        pb.environment().keySet().removeIf(k -> k.equalsIgnoreCase("http_proxy") || k.equalsIgnoreCase("https_proxy")
                || k.equalsIgnoreCase("no_proxy"));
        pb.environment().putAll(env);
        Process child = pb.redirectOutput(dir.resolve("child-stdout.txt").toFile()).start();
        int code = child.waitFor();
        String err = Files.readString(dir.resolve("child-stderr.txt"));
        assertEquals(1, code, "runs, and /x does not exist: " + err);
        return err;
    }

    @Test
    void theProxyOfTheEnvironmentGetsEveryCallWithItsUserAndPassword(MotoServer moto) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            proxy.requireProxyCredentials();
            String err = check(moto.endpoint(), Map.of("HTTP_PROXY",
                    "http://builder:" + ENCODED + "@127.0.0.1:" + proxy.endpoint().getPort()));

            assertEquals(1, proxy.calls("ssm:GetParameters").size(), proxy.calls() + "\n" + err);
            String basic = "Basic " + Base64.getEncoder().encodeToString(("builder:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertTrue(proxy.proxyAuthorizations().stream().allMatch(basic::equals), proxy.proxyAuthorizations().toString());
            assertFalse(err.contains(PASSWORD) || err.contains(ENCODED), err);
        }
    }

    /** NO_PROXY as curl and the AWS CLI read it: a comma-separated list (the SDK on its own splits only at |). */
    @Test
    void hostsInNoProxyAreReachedDirectly(MotoServer moto) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            String err = check(moto.endpoint(), Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.endpoint().getPort(),
                    "NO_PROXY", "localhost,127.0.0.1"));

            assertEquals(List.of(), proxy.calls(), err);
            assertTrue(err.contains("parameter not found"), "the check ran, directly: " + err);
        }
    }

    // ---- which variable counts

    private static ProxySettings chosen(Map<String, String> env, String endpoint) {
        AwsOptions options = new AwsOptions();
        options.environment = env::get;
        return options.proxySettings(endpoint == null ? null : java.net.URI.create(endpoint));
    }

    @Test
    void awsItselfIsReachedThroughHttpsProxyAndAnHttpEmulatorThroughHttpProxy() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://secure.corp.example:3128",
                "HTTP_PROXY", "http://plain.corp.example:8080", "NO_PROXY", ".internal.example,169.254.169.254");
        ProxySettings aws = chosen(env, null);
        assertEquals("secure.corp.example", aws.host(), "AWS endpoints are https: the SDK alone reads only HTTP_PROXY");
        assertEquals(List.of("internal.example", "*.internal.example", "169.254.169.254", "*.169.254.169.254"),
                aws.nonProxyHosts());
        assertEquals("plain.corp.example", chosen(env, "http://localhost:5000").host());
        assertEquals(null, chosen(Map.of("HTTP_PROXY", "http://plain.corp.example:8080"), null),
                "no HTTPS_PROXY: AWS is reached directly (or by the JVM's proxy properties)");
        assertEquals("lower.corp.example", chosen(Map.of("https_proxy", "http://lower.corp.example:3128",
                "HTTPS_PROXY", "http://upper.corp.example:3128"), null).host(), "lower case first, as curl reads them");
    }

    @Test
    void aBadProxyVariableIsAUsageErrorThatNamesItAndNotItsPassword() {
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> chosen(Map.of("HTTPS_PROXY", "socks5://builder:" + ENCODED + "@proxy:1080"), null));
        assertEquals("HTTPS_PROXY: a proxy URL starts with http:// or https://, not socks5://", e.getMessage());
    }
}
