package io.amifactory.engine.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The proxy every AWS call goes through: on the wire (the fault proxy as the HTTP proxy in front of Moto), and
 * the parts users write — Jenkins' non-proxy host patterns, proxy URLs — and never see: the password.
 */
@ExtendWith(MotoExtension.class)
class ProxySettingsTest {
    private static final String PASSWORD = "s3cr3t-pr0xy-pw";
    private static final String ROLE = "arn:aws:iam::111122223333:role/ami-factory";

    private static AwsSettings.Builder toMoto(MotoServer moto, ProxySettings proxy) {
        return AwsSettings.builder().endpoint(moto.endpoint()).proxy(proxy).maxAttempts(1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    private static ProxySettings.Builder at(FaultProxy proxy) {
        return ProxySettings.builder("127.0.0.1", proxy.endpoint().getPort());
    }

    // ---- on the wire

    @Test
    void everyCallGoesThroughTheProxyTheRolesStsCallToo(MotoServer moto) {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
                AwsClients clients = new AwsClients(toMoto(moto, at(proxy).nonProxyHosts("*.internal").build())
                        .role(ROLE, null).build())) {
            clients.ec2("eu-west-1").describeImages(b -> b.owners("self"));
            clients.ssm("eu-west-1").describeParameters();

            assertEquals(List.of("sts:AssumeRole", "ec2:DescribeImages", "ssm:DescribeParameters"),
                    proxy.calls().stream().map(FaultProxy.Call::type).toList());
        }
    }

    @Test
    void aHostMatchingANonProxyPatternIsReachedDirectly(MotoServer moto) {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
                AwsClients clients = new AwsClients(toMoto(moto,
                        at(proxy).nonProxyHosts("*.internal\n127.0.0.*").build()).role(ROLE, null).build())) {
            clients.ec2("eu-west-1").describeImages(b -> b.owners("self"));

            assertEquals(List.of(), proxy.calls(), "Moto at 127.0.0.1 matches 127.0.0.*: nothing through the proxy");
        }
    }

    @Test
    void theProxyGetsTheUserAndPasswordWhenItAsksForThem(MotoServer moto) {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            proxy.requireProxyCredentials();
            try (AwsClients clients = new AwsClients(toMoto(moto, at(proxy).credentials("builder", PASSWORD).build())
                    .build())) {
                clients.ec2("eu-west-1").describeImages(b -> b.owners("self"));
            }
            String basic = "Basic " + Base64.getEncoder().encodeToString(("builder:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(basic), proxy.proxyAuthorizations());
            assertEquals(1, proxy.calls("ec2:DescribeImages").size(), "answered after the challenge");
        }
    }

    // ---- what users write

    @Test
    void jenkinsNonProxyPatternsAreGlobsMatchedAgainstTheWholeHostName() {
        ProxySettings p = ProxySettings.builder("proxy.corp.example", 3128)
                .nonProxyHosts("*.internal\n169.254.169.254 | localhost,  *.S3.amazonaws.com").build();

        assertEquals(List.of("*.internal", "169.254.169.254", "localhost", "*.S3.amazonaws.com"), p.nonProxyHosts());
        assertTrue(p.bypasses("ec2.eu-west-1.internal"));
        assertTrue(p.bypasses("169.254.169.254"));
        assertTrue(p.bypasses("LOCALHOST"));
        assertTrue(p.bypasses("bucket.s3.amazonaws.com"), "case does not matter");
        assertFalse(p.bypasses("internal"), "*.internal needs a dot before it");
        assertFalse(p.bypasses("169.254.169.2540"), "the whole name, not a prefix");
        assertFalse(p.bypasses("169x254x169x254"), "a dot is a dot, not any character");
        assertFalse(p.bypasses("ec2.eu-west-1.amazonaws.com"));
        assertEquals(Set.of(".*\\Q.internal\\E", "\\Q169.254.169.254\\E", "\\Qlocalhost\\E", ".*\\Q.s3.amazonaws.com\\E"),
                p.nonProxyHostRegexes(), "what the SDK gets: regular expressions");
    }

    @Test
    void aProxyUrlAsWrittenInHttpsProxy() {
        ProxySettings p = ProxySettings.fromUrl("http://ci%40corp:p%40ss:w0rd@proxy.corp.example:3128").build();
        assertEquals("http", p.scheme());
        assertEquals("proxy.corp.example", p.host());
        assertEquals(3128, p.port());
        assertEquals("ci@corp", p.username());
        assertEquals("ProxySettings[http://proxy.corp.example:3128, user ci@corp (password hidden)]", p.toString());
        assertEquals(ProxySettings.builder("proxy.corp.example", 3128).credentials("ci@corp", "p@ss:w0rd").build(), p,
                "user and password are percent-decoded, the password may hold a colon");

        assertEquals(80, ProxySettings.fromUrl("proxy.corp.example").build().port());
        assertEquals(443, ProxySettings.fromUrl("https://proxy.corp.example").build().port());
        assertNull(ProxySettings.fromUrl("http://proxy.corp.example:8080/").build().username());
    }

    @Test
    void noProxyEntriesCoverTheDomainAndItsHosts() {
        assertEquals(List.of("internal.example", "*.internal.example", "localhost", "*.localhost", "*.svc", "*"),
                ProxySettings.noProxyPatterns(".internal.example, localhost:8080 *.svc,*"));
        ProxySettings p = ProxySettings.builder("proxy", 3128)
                .nonProxyHosts(ProxySettings.noProxyPatterns("internal.example")).build();
        assertTrue(p.bypasses("internal.example"));
        assertTrue(p.bypasses("ssm.internal.example"));
        assertFalse(p.bypasses("notinternal.example"));
    }

    @Test
    void thePasswordIsNeverShownNorRepeatedInAnError() {
        ProxySettings p = ProxySettings.builder("proxy.corp.example", 3128).credentials("builder", PASSWORD)
                .nonProxyHosts("*.internal").build();
        assertEquals("ProxySettings[http://proxy.corp.example:3128, user builder (password hidden), no proxy for "
                + "[*.internal]]", p.toString());
        assertFalse(p.toApacheConfiguration().toString().contains(PASSWORD), "nor in the SDK's configuration");
        for (String bad : List.of("ftp://builder:" + PASSWORD + "@proxy:21", "http://builder:" + PASSWORD + "@/x",
                "http://builder:" + PASSWORD + "@proxy:3128/path", "http://builder:" + PASSWORD + "@pro xy:3128")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxySettings.fromUrl(bad));
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
    }

    @Test
    void aHostAndPortAreChecked() {
        assertEquals("proxy host: 'http://proxy' is not a host name or address",
                assertThrows(IllegalArgumentException.class, () -> ProxySettings.builder("http://proxy", 3128)).getMessage());
        assertEquals("proxy port: 0 is not a port (1-65535)",
                assertThrows(IllegalArgumentException.class, () -> ProxySettings.builder("proxy", 0)).getMessage());
        assertEquals("fd00::1", ProxySettings.builder("[fd00::1]", 3128).build().host());
    }
}
