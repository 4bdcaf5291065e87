package io.jenkins.plugins.amifactory.trigger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.jenkins.plugins.amifactory.DenyingAws;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.AwsIdentity;
import io.jenkins.plugins.amifactory.config.SsmParameterSource;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * "Check now" on the status page: the check starts in the background at once, the page says that it runs (and
 * reloads itself while it does), then when it finished. AWS is a loopback endpoint that holds every call until the
 * test lets it answer "access denied", so "running" is a state the test can look at, not a race.
 */
@WithJenkins
class CheckNowTest {
    private static final String RUNNING = "Checking the tracked images now (started ";
    private static final String ASKED = "A check was asked for at ";

    private DenyingAws aws;

    @BeforeEach
    void holdingAws() throws IOException {
        aws = DenyingAws.holding();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void checkNowStartsACheckAtOnceAndThePageFollowsIt(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new AWSCredentialsImpl(CredentialsScope.GLOBAL, "tracker", "AKIAEXAMPLE", "example", "test"));
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTracking(new AwsIdentity("tracker", "", ""));
        config.setEndpoint(aws.endpoint());
        config.setRegions("us-east-1");
        config.setTrackedImages(List.of(new TrackedImageConfig("base", new SsmParameterSource("/factory-test/image_id"))));

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setRefreshHandler((page, url, seconds) -> { }); // the test reloads by itself
            HtmlPage before = wc.goTo("manage/ami-factory/");
            HtmlPage clicked = j.submit(before.getFormByName("checkNow"));
            String said = clicked.getBody().asNormalizedText();
            assertTrue(said.contains(RUNNING) || said.contains(ASKED), "the page says a check runs: " + said);

            if (!aws.awaitCall(2)) {
                fail("no check reached AWS");
            }
            HtmlPage during = wc.goTo("manage/ami-factory/");
            assertTrue(during.getBody().asNormalizedText().contains(RUNNING), during.getBody().asNormalizedText());
            assertTrue(during.getWebResponse().getContentAsString().contains("http-equiv=\"refresh\""),
                    "the page reloads itself while the check runs");

            aws.release();
            AmiReleasePoller poller = AmiReleasePoller.get();
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (poller.getCycleStarted() != null || poller.getCheckRequested() != null) {
                if (System.nanoTime() > giveUp) {
                    fail("the check did not finish");
                }
                Thread.sleep(100);
            }
            HtmlPage after = wc.goTo("manage/ami-factory/");
            String done = after.getBody().asNormalizedText();
            assertTrue(done.matches("(?s).*Last check finished \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC.*"), done);
            assertTrue(done.contains(DenyingAws.MESSAGE), "the row shows the check's error: " + done);
            assertFalse(after.getWebResponse().getContentAsString().contains("http-equiv=\"refresh\""),
                    "no more reloading once the check is done");
        }
    }
}
