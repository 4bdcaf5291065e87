package io.jenkins.plugins.amifactory.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.ProxyConfiguration;
import hudson.model.Result;
import hudson.util.Secret;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The plugin's AWS calls go through the proxy of Manage Jenkins → System → HTTP Proxy, as its other traffic does. */
@WithJenkins
@WithMoto
class JenkinsProxyTest {
    private static final String PASSWORD = "proxy-secret-91c2";
    private JenkinsRule j;
    private MotoServer moto;

    @BeforeEach
    void setUp(JenkinsRule rule, MotoServer server, AwsClients aws) throws Exception {
        j = rule;
        moto = server;
        MotoJenkins.configure(moto);
        aws.ec2(MotoJenkins.REGION).registerImage(r -> r.name("app-1"));
    }

    private WorkflowRun latest() throws Exception {
        WorkflowJob p = j.jenkins.getItemByFullName("latest", WorkflowJob.class);
        if (p == null) {
            p = j.createProject(WorkflowJob.class, "latest");
            p.setDefinition(new CpsFlowDefinition("echo \"latest=${amiLatest(name: 'app-*')}\"", true));
        }
        return j.buildAndAssertStatus(Result.SUCCESS, p);
    }

    @Test
    void stepsCallAwsThroughJenkinsProxyWithItsCredentialsAndNotForItsNonProxyHosts() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            proxy.requireProxyCredentials();
            ProxyConfiguration jenkinsProxy = new ProxyConfiguration("127.0.0.1", proxy.endpoint().getPort(), "builder",
                    PASSWORD, "*.internal");
            j.jenkins.setProxy(jenkinsProxy);

            WorkflowRun run = latest();
            j.assertLogContains("latest=ami-", run);
            assertTrue(proxy.calls("ec2:DescribeImages").size() >= 1, "the call went through the proxy");
            String basic = "Basic " + Base64.getEncoder().encodeToString(("builder:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertTrue(proxy.proxyAuthorizations().contains(basic), "with Jenkins' proxy credentials");
            j.assertLogNotContains(PASSWORD, run);

            proxy.clear();
            j.jenkins.setProxy(new ProxyConfiguration("127.0.0.1", proxy.endpoint().getPort(), "builder", PASSWORD,
                    "*.internal\n127.0.0.*"));
            latest();
            assertEquals(List.of(), proxy.calls(), "Moto at 127.0.0.1 is a non-proxy host: reached directly");
        }
    }

    @Test
    void jenkinsProxyBecomesTheEnginesProxySettings() {
        assertEquals(null, AwsConnector.proxy(null));
        assertEquals(null, AwsConnector.proxy(new ProxyConfiguration("", 0)));
        var settings = AwsConnector.proxy(new ProxyConfiguration("proxy.corp.example", 3128, "u", PASSWORD,
                "*.internal\n169.254.169.254"));
        assertEquals("proxy.corp.example", settings.host());
        assertEquals(3128, settings.port());
        assertEquals("u", settings.username());
        assertEquals(List.of("*.internal", "169.254.169.254"), settings.nonProxyHosts());
        assertFalse(settings.toString().contains(PASSWORD));
        assertTrue(settings.hasCredentials());
        assertEquals(PASSWORD, Secret.toString(new ProxyConfiguration("p", 1, "u", PASSWORD).getSecretPassword()));
    }
}
