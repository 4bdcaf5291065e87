package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.jenkins.plugins.amifactory.DenyingAws;
import io.jenkins.plugins.amifactory.FormAnswers;
import java.util.List;
import java.util.Map;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What the System page's AMI Factory section tells an administrator, in the words the page itself uses. */
@WithJenkins
class ConfigurationMessagesTest {

    private static String submitted(JenkinsRule j, java.util.function.Consumer<HtmlForm> change) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            HtmlForm form = wc.goTo("configure").getFormByName("config");
            change.accept(form);
            HtmlPage result = j.submit(form);
            assertEquals(400, result.getWebResponse().getStatusCode(), "refused");
            return result.getBody().asNormalizedText();
        }
    }

    @Test
    void aRefusedSaveNamesTheSectionTheFieldAsLabelledAndTheProblem(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTrackedImages(List.of(new TrackedImageConfig("al2023", new SsmParameterSource("/aws/service/a")),
                new TrackedImageConfig("rhel-9", new SsmParameterSource("/aws/service/b"))));

        String duplicate = submitted(j, form -> {
            for (HtmlInput name : form.getInputsByName("_.name")) {
                if ("rhel-9".equals(name.getValue())) {
                    name.setValue("al2023");
                }
            }
        });
        assertTrue(duplicate.contains("AMI Factory › Tracked images: tracked images 1 and 2 are both named 'al2023'; "
                + "each name must be unique. Nothing was saved: go back, correct it and save again."), duplicate);

        String poll = submitted(j, form -> form.getInputByName("_.pollIntervalMinutes").setValue("2"));
        assertTrue(poll.contains("AMI Factory › Poll interval in minutes: must be at least 5 minutes, not 2. "
                + "Nothing was saved"), poll);
        assertEquals(AmiFactoryConfiguration.DEFAULT_POLL_MINUTES, config.getPollIntervalMinutes());
    }

    @Test
    void theIdentitiesAreNamedByTheirSections() {
        assertEquals("AMI Factory: tracking identity › Role ARN: 'x' is not an IAM role ARN. Nothing was saved: go back, "
                + "correct it and save again.", AmiFactoryConfiguration.formMessage("tracking.roleArn: 'x' is not an IAM role ARN"));
        assertEquals("AMI Factory: steps › External id: only goes with a role ARN. Nothing was saved: go back, correct it "
                + "and save again.", AmiFactoryConfiguration.formMessage("steps.externalId: only goes with a role ARN"));
    }

    @Test
    void thePollIntervalIsCheckedInTheField(JenkinsRule j) throws Exception {
        assertEquals("error: At least 5 minutes.", FormAnswers.check(j, "", AmiFactoryConfiguration.class,
                "pollIntervalMinutes", Map.of("value", "2")));
    }

    @Test
    void theEndpointIsCheckedInTheField(JenkinsRule j) throws Exception {
        assertEquals("error: Must be an http(s) URL, for example http://127.0.0.1:5000 (Illegal character in path at "
                + "index 3: not a url).", FormAnswers.check(j, "", AmiFactoryConfiguration.class, "endpoint",
                Map.of("value", "not a url")));
        assertEquals("error: Must be an http(s) URL, for example http://127.0.0.1:5000.",
                FormAnswers.check(j, "", AmiFactoryConfiguration.class, "endpoint", Map.of("value", "ftp://moto")));
    }

    @Test
    void theStepsCredentialsSayWhatTheyMeanWithTheBoxBesideThem(JenkinsRule j) throws Exception {
        assertEquals("ok: Steps must name their AWS credentials: those without fail.", FormAnswers.check(j, "",
                StepDefaults.class, "credentialsId", Map.of("value", "", "allowDefaultIdentity", "false")));
        assertEquals("warning: Not used while steps without AWS credentials may not run as the identity of this section.",
                FormAnswers.check(j, "", StepDefaults.class, "credentialsId",
                        Map.of("value", "builder", "allowDefaultIdentity", "false")));
        assertEquals("ok: Empty: steps without AWS credentials run as the controller's own AWS credentials (instance "
                + "profile, environment).", FormAnswers.check(j, "", StepDefaults.class, "credentialsId",
                Map.of("value", "", "allowDefaultIdentity", "true")));
        assertEquals("ok: Empty: the controller's own AWS credentials (instance profile, environment).",
                FormAnswers.check(j, "", AwsIdentity.class, "credentialsId", Map.of("value", "")),
                "the tracking identity has no box: empty is the controller's own");
    }

    @Test
    void theHintsOfATrackedImageNameTheDefaultsWithoutSayingWhereTheyAre(JenkinsRule j) throws Exception {
        String regions = FormAnswers.check(j, "", TrackedImageConfig.class, "regions", Map.of("value", ""));
        String credentials = FormAnswers.check(j, "", TrackedImageConfig.class, "credentialsId", Map.of("value", ""));
        assertEquals("ok: Empty: the Default regions of the AMI Factory section apply.", regions);
        assertEquals("ok: Empty: the AWS credentials of the AMI Factory tracking identity apply.", credentials);
        for (String hint : List.of(regions, credentials)) {
            assertFalse(hint.contains("below") || hint.contains("above"), hint);
        }
    }

    @Test
    void testLookupSaysWhichSavedDefaultsItUsed(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new AWSCredentialsImpl(CredentialsScope.GLOBAL, "tracker", "AKIAEXAMPLE", "example", "test"));
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setRegions("us-east-1 eu-west-1");
        config.setTracking(new AwsIdentity("tracker", "", ""));
        try (DenyingAws aws = DenyingAws.answering()) {
            config.setEndpoint(aws.endpoint()); // every region answers "access denied", at once
            lookUp(j, aws.endpoint());
        }
    }

    private static void lookUp(JenkinsRule j, String endpoint) throws Exception {
        String answer = FormAnswers.ask(j, "descriptorByName/" + SsmParameterSource.class.getName() + "/testLookup",
                Map.of("path", "/aws/service/x", "name", "base", "regions", "", "credentialsId", "", "roleArn", "",
                        "externalId", ""));
        assertTrue(answer.contains("With the saved Default regions us-east-1 eu-west-1, tracking identity "
                + "(AWS credentials 'tracker'), endpoint override " + endpoint + ". Changes to those on this page "
                + "apply to Test lookup once saved."), answer);

        String own = FormAnswers.ask(j, "descriptorByName/" + SsmParameterSource.class.getName() + "/testLookup",
                Map.of("path", "/aws/service/x", "name", "base", "regions", "eu-central-1", "credentialsId", "tracker",
                        "roleArn", "arn:aws:iam::123456789012:role/reader", "externalId", ""));
        assertTrue(own.contains("eu-central-1"), own);
        assertFalse(own.contains("Default regions"), "the image's own regions: no default regions used: " + own);
        assertFalse(own.contains("tracking identity"), "the image's own identity: " + own);
    }
}
