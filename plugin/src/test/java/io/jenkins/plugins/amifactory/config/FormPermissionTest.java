package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Descriptor;
import io.jenkins.plugins.amifactory.trigger.AmiFactoryLink;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.verb.POST;

/**
 * Every form method of the plugin, found by reflection so that a new one cannot be forgotten: all of them
 * answer POST only; those of the global configuration and the status page answer administrators only; those of
 * the steps, builders and trigger judge only the text typed and list credentials only to who may see them.
 */
@WithJenkins
class FormPermissionTest {
    private static final String SECRET_ID = "aws-prod-builder";
    private JenkinsRule j;

    @BeforeEach
    void security(JenkinsRule rule) throws Exception {
        j = rule;
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new AWSCredentialsImpl(CredentialsScope.GLOBAL, SECRET_ID, "AKIAEXAMPLE", "secret", "prod"));
        // "Test lookup" must not reach AWS from a test: a closed loopback port answers at once.
        AmiFactoryConfiguration.get().setEndpoint("http://127.0.0.1:9");
    }

    private WebResponse call(String user, String path, HttpMethod method) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            wc.withBasicApiToken(user);
            return wc.getPage(new WebRequest(new URL(j.getURL(), path), method)).getWebResponse();
        }
    }

    /** The plugin's descriptors and their form methods ({@code doCheckX} answers at {@code checkX}). */
    private List<FormMethod> formMethods() {
        List<FormMethod> out = new ArrayList<>();
        for (Descriptor<?> d : j.jenkins.getExtensionList(Descriptor.class)) {
            if (!d.getClass().getName().startsWith("io.jenkins.plugins.amifactory.")) {
                continue;
            }
            for (Method m : d.getClass().getMethods()) {
                if (m.getName().startsWith("do") && m.getName().length() > 2 && Modifier.isPublic(m.getModifiers())
                        && m.getDeclaringClass().getName().startsWith("io.jenkins.plugins.amifactory.")) {
                    out.add(new FormMethod(d, m));
                }
            }
        }
        assertTrue(out.size() > 30, "found the form methods: " + out);
        return out;
    }

    private record FormMethod(Descriptor<?> descriptor, Method method) {
        String url() {
            String name = method.getName().substring(2);
            return "descriptorByName/" + descriptor.getId() + "/" + Character.toLowerCase(name.charAt(0))
                    + name.substring(1) + "?value=x&credentialsId=&path=/aws/x&filters=name%3Dx&name=a&regions=us-east-1";
        }

        boolean global() {
            return descriptor.clazz.getPackageName().endsWith(".config");
        }

        /** The credentials drop-downs; the other drop-downs (actions, completions) list nothing secret. */
        boolean fill() {
            return method.getName().equals("doFillCredentialsIdItems");
        }

        boolean lookup() {
            return method.getName().equals("doTestLookup");
        }

        @Override
        public String toString() {
            return descriptor.clazz.getSimpleName() + "." + method.getName();
        }
    }

    @Test
    void everyFormMethodIsPostOnly() throws Exception {
        for (FormMethod f : formMethods()) {
            assertTrue(f.method().isAnnotationPresent(POST.class), f + " is @POST");
            assertNotEquals(200, call("admin", f.url(), HttpMethod.GET).getStatusCode(), f + " refuses GET");
        }
    }

    @Test
    void theGlobalConfigurationsFormMethodsAnswerAdministratorsOnly() throws Exception {
        for (FormMethod f : formMethods()) {
            if (!f.global()) {
                continue;
            }
            WebResponse reader = call("reader", f.url(), HttpMethod.POST);
            if (f.fill()) {
                assertEquals(200, reader.getStatusCode(), f.toString());
                assertFalse(reader.getContentAsString().contains(SECRET_ID), f + " lists no credentials to a reader");
                assertTrue(call("admin", f.url(), HttpMethod.POST).getContentAsString().contains(SECRET_ID),
                        f + " lists them to an administrator");
            } else {
                assertEquals(403, reader.getStatusCode(), f + " refuses a reader");
                if (!f.lookup()) {
                    assertEquals(200, call("admin", f.url(), HttpMethod.POST).getStatusCode(), f + " answers an administrator");
                }
            }
        }
    }

    @Test
    void theStepsBuildersAndTriggerJudgeTheTextWithoutListingCredentials() throws Exception {
        for (FormMethod f : formMethods()) {
            if (f.global()) {
                continue;
            }
            WebResponse reader = call("reader", f.url(), HttpMethod.POST);
            assertEquals(200, reader.getStatusCode(), f + " answers, so the Snippet Generator shows no error on every field");
            if (f.fill()) {
                assertFalse(reader.getContentAsString().contains(SECRET_ID), f + " lists no credentials to a reader");
                assertTrue(call("admin", f.url(), HttpMethod.POST).getContentAsString().contains(SECRET_ID),
                        f + " lists them to an administrator");
            } else {
                assertFalse(reader.getContentAsString().contains("error"), f + " says ok without permission");
            }
        }
    }

    @Test
    void statusPageActionsAnswerAdministratorsOnlyAndOnlyToPost() throws Exception {
        for (String action : new String[] {"checkNow"}) {
            assertEquals(403, call("reader", "ami-factory/" + action, HttpMethod.POST).getStatusCode(), action);
            assertNotEquals(200, call("admin", "ami-factory/" + action, HttpMethod.GET).getStatusCode(), action);
        }
        for (Method m : AmiFactoryLink.class.getMethods()) {
            if (m.getName().startsWith("do") && m.getDeclaringClass() == AmiFactoryLink.class) {
                assertTrue(m.isAnnotationPresent(POST.class), m.getName() + " is @POST");
            }
        }
    }
}
