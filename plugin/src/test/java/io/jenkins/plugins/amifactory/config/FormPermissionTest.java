package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URL;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Every form method answers administrators only, and only to POST. */
@WithJenkins
class FormPermissionTest {
    private JenkinsRule j;

    @BeforeEach
    void security(JenkinsRule rule) {
        j = rule;
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
    }

    private int post(String user, String path) throws Exception {
        return call(user, path, HttpMethod.POST);
    }

    private int call(String user, String path, HttpMethod method) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.withBasicApiToken(user);
            return wc.getPage(new WebRequest(new URL(j.getURL(), path), method)).getWebResponse().getStatusCode();
        }
    }

    private static String descriptor(Class<?> type) {
        return "descriptorByName/" + type.getName() + "/";
    }

    @Test
    void globalChecksRefuseNonAdministrators() throws Exception {
        String base = descriptor(AmiFactoryConfiguration.class);
        for (String check : new String[] {"checkRegions?value=us-east-1", "checkRoleArn?value=x",
                "checkExternalId?value=x", "checkPollIntervalMinutes?value=15", "checkEndpoint?value=http://h",
                "checkCredentialsId?value=x"}) {
            assertEquals(403, post("reader", base + check), check);
            assertEquals(200, post("admin", base + check), check);
        }
    }

    @Test
    void trackedImageChecksAndLookupRefuseNonAdministrators() throws Exception {
        String image = descriptor(TrackedImageConfig.class);
        for (String check : new String[] {"checkName?value=al2023", "checkRegions?value=us-east-1",
                "checkRoleArn?value=x", "checkExternalId?value=x", "checkCredentialsId?value=x"}) {
            assertEquals(403, post("reader", image + check), check);
            assertEquals(200, post("admin", image + check), check);
        }
        assertEquals(403, post("reader", descriptor(SsmParameterSource.class) + "checkPath?value=/aws/x"));
        assertEquals(403, post("reader", descriptor(SsmParameterSource.class) + "testLookup?path=/aws/x&name=a&regions=us-east-1"));
        assertEquals(403, post("reader", descriptor(ImageFiltersSource.class) + "checkFilters?value=name%3Dx"));
        assertEquals(403, post("reader", descriptor(ImageFiltersSource.class) + "testLookup?filters=name%3Dx&name=a&regions=us-east-1"));
    }

    @Test
    void checksRefuseGet() throws Exception {
        // @POST methods are not dispatched for GET at all.
        assertNotEquals(200, call("admin", descriptor(AmiFactoryConfiguration.class) + "checkRegions?value=us-east-1", HttpMethod.GET));
    }

    @Test
    void statusPageActionsRefuseNonAdministrators() throws Exception {
        assertEquals(403, post("reader", "ami-factory/checkNow"));
        assertEquals(403, post("reader", "ami-factory/importTrackedImages?yaml=images%3A%20%5B%5D"));
    }
}
