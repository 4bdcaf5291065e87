package io.jenkins.plugins.amifactory.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.amifactory.FormAnswers;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The Snippet Generator's forms of the four steps: each field refuses what the step would refuse when it runs, in
 * the engine's words; choices are drop-downs whose default stays out of the generated line.
 */
@WithJenkins
class StepSnippetFormChecksTest {
    private static final String JOB = "job/p/";
    private JenkinsRule j;

    @BeforeEach
    void job(JenkinsRule rule) throws Exception {
        j = rule;
        j.createProject(WorkflowJob.class, "p");
    }

    private String check(Class<?> step, String field, Map<String, String> parameters) throws Exception {
        return FormAnswers.check(j, JOB, step, field, parameters);
    }

    @Test
    void everyStepNeedsCredentialsUntilAnAdministratorAllowsADefaultIdentity() throws Exception {
        for (Class<?> step : List.of(AmiBuildStep.class, AmiShareStep.class, AmiPruneStep.class, AmiLatestStep.class)) {
            assertTrue(check(step, "credentialsId", Map.of("value", "")).startsWith(
                    "error: Required: steps without AWS credentials may not run as the controller's AWS identity"),
                    step.getSimpleName());
            assertEquals("ok", check(step, "credentialsId", Map.of("value", "ami-factory")), step.getSimpleName());
        }
    }

    @Test
    void shareFieldsAreCheckedByTheEngine() throws Exception {
        assertTrue(check(AmiShareStep.class, "imageText", Map.of("value", "ami-123", "name", ""))
                .startsWith("error: 'ami-123' is not an AMI id"));
        assertEquals("ok", check(AmiShareStep.class, "imageText",
                Map.of("value", "eu-west-1=ami-0123456789abcdef0 eu-central-1=ami-0123456789abcdef1", "name", "")));
        assertEquals("error: 'CHANGEME' is not an AWS account id (12 digits)",
                check(AmiShareStep.class, "accountsText", Map.of("value", "111122223333 CHANGEME")));
        assertEquals("ok", check(AmiShareStep.class, "accountsText", Map.of("value", "111122223333")));
        assertTrue(check(AmiShareStep.class, "orgArnsText", Map.of("value", "o-1")).startsWith("error: 'o-1' is not"));
        assertTrue(check(AmiShareStep.class, "ouArnsText", Map.of("value", "ou-1")).startsWith(
                "error: 'ou-1' is not an organizational unit ARN"));
    }

    @Test
    void pruneFieldsAreCheckedByTheEngineAndTheActionIsAChoice() throws Exception {
        assertEquals("error: must be 0 or more (0 keeps no image for being newest)",
                check(AmiPruneStep.class, "keepText", Map.of("value", "-1")));
        assertEquals("error: must be a whole number, not 'three'", check(AmiPruneStep.class, "keepText", Map.of("value", "three")));
        assertEquals("ok", check(AmiPruneStep.class, "keepText", Map.of("value", "3")));
        assertEquals("error: '30 days' is not a duration (like 30d, 12h, 90m, 2w or P30D)",
                check(AmiPruneStep.class, "maxAge", Map.of("value", "30 days")));
        assertEquals("error: 'delete' is not an action (deregister, deprecate or disable)",
                check(AmiPruneStep.class, "action", Map.of("value", "delete")));
        assertEquals("error: only goes with action: deprecate",
                check(AmiPruneStep.class, "deprecateAt", Map.of("value", "30d", "action", "")));
        assertEquals("ok", check(AmiPruneStep.class, "deprecateAt", Map.of("value", "30d", "action", "deprecate")));

        JSONArray values = JSONObject.fromObject(FormAnswers.raw(j, JOB + "descriptorByName/"
                + AmiPruneStep.class.getName() + "/fillActionItems", Map.of("action", ""))).getJSONArray("values");
        assertEquals(List.of("", "deregister", "deprecate", "disable"),
                values.stream().map(v -> ((JSONObject) v).getString("value")).toList());

        AmiPruneStep step = new AmiPruneStep();
        step.setCredentialsId("ami-factory");
        step.setName("web-*");
        step.setAction("deprecate");
        step.setDeprecateAt("30d");
        new SnippetizerTester(j).assertRoundTrip(step,
                "amiPrune action: 'deprecate', credentialsId: 'ami-factory', deprecateAt: '30d', name: 'web-*'");
    }

    @Test
    void latestFieldsAreCheckedByTheEngine() throws Exception {
        assertTrue(check(AmiLatestStep.class, "name", Map.of("value", "")).startsWith("error: "),
                "the form finds images by name: required");
        assertEquals("ok", check(AmiLatestStep.class, "name", Map.of("value", "web-*")));
        assertTrue(check(AmiLatestStep.class, "ownersText", Map.of("value", "me")).startsWith("error: "),
                "an owner is self, amazon, aws-marketplace or an account id");
        assertEquals("ok", check(AmiLatestStep.class, "ownersText", Map.of("value", "self 111122223333")));
    }

    @Test
    void amiBuildFieldsAreCheckedByTheEngine() throws Exception {
        assertTrue(check(AmiBuildStep.class, "imageName", Map.of("value", "web-{stamp}", "region", "")).startsWith(
                "error: unknown placeholder {stamp} (known: {buildId}, {date}"), "imageName");
        assertEquals("ok", check(AmiBuildStep.class, "imageName", Map.of("value", "web-{timestamp}", "region", "")));
        assertEquals("error: '90' is not a duration (like 90m, 2h, 30d or PT90M)", check(AmiBuildStep.class, "timeout", Map.of("value", "90")));
        assertEquals("error: must be between 1m and 1d, not 1d1h", check(AmiBuildStep.class, "timeout", Map.of("value", "25h")));
        assertEquals("ok", check(AmiBuildStep.class, "timeout", Map.of("value", "90m")));
        assertTrue(check(AmiBuildStep.class, "accountsText", Map.of("value", "CHANGEME")).startsWith("error: "), "accounts");
        assertTrue(check(AmiBuildStep.class, "accountsText", Map.of("value", "CHANGEME")).contains("CHANGEME"), "names the bad value");
        assertEquals("ok", check(AmiBuildStep.class, "accountsText", Map.of("value", "111122223333")));
        assertEquals("error: eu-west-1 is the build region; the image is made there, copies go elsewhere",
                check(AmiBuildStep.class, "copiesText", Map.of("value", "eu-central-1 eu-west-1", "region", "eu-west-1")));
        assertEquals("error: 'eu-central' is not an AWS region name (like us-east-1 or eu-central-2)",
                check(AmiBuildStep.class, "copiesText", Map.of("value", "eu-central", "region", "")));
        assertTrue(check(AmiBuildStep.class, "source", Map.of("value", "ami-123")).startsWith("error: "), "source");
        assertEquals("ok", check(AmiBuildStep.class, "source", Map.of("value", "al2023")), "a tracked image name is a source");
    }

    @Test
    void completionIsAChoiceWhoseDefaultStaysOutOfTheSnippet() throws Exception {
        JSONObject items = JSONObject.fromObject(FormAnswers.raw(j, JOB + "descriptorByName/"
                + AmiBuildStep.class.getName() + "/fillCompletionItems", Map.of()));
        JSONArray values = items.getJSONArray("values");
        assertEquals(List.of("", "marker", "stop"), values.stream().map(v -> ((JSONObject) v).getString("value")).toList());

        AmiBuildStep step = new AmiBuildStep();
        step.setImageName("web-{timestamp}");
        step.setSource("al2023");
        step.setBootstrapUrl("https://example.com/bootstrap/web.sh");
        step.setCompletion("stop");
        new SnippetizerTester(j).assertRoundTrip(step, "amiBuild bootstrapUrl: 'https://example.com/bootstrap/web.sh', "
                + "completion: 'stop', imageName: 'web-{timestamp}', source: 'al2023'");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }
}
