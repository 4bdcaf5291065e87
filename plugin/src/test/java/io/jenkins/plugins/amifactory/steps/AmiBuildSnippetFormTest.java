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

/** The Snippet Generator's amiBuild form refuses what amiBuild would refuse, field by field, in the engine's words. */
@WithJenkins
class AmiBuildSnippetFormTest {
    private static final String JOB = "job/p/";
    private JenkinsRule j;

    @BeforeEach
    void job(JenkinsRule rule) throws Exception {
        j = rule;
        j.createProject(WorkflowJob.class, "p");
    }

    private String check(String field, Map<String, String> parameters) throws Exception {
        return FormAnswers.check(j, JOB, AmiBuildStep.class, field, parameters);
    }

    @Test
    void eachFieldIsCheckedByTheEngine() throws Exception {
        assertTrue(check("imageName", Map.of("value", "web-{stamp}", "region", "")).startsWith(
                "error: unknown placeholder {stamp} (known: {buildId}, {date}"), "imageName");
        assertEquals("ok", check("imageName", Map.of("value", "web-{timestamp}", "region", "")));
        assertEquals("error: '90' is not a duration (like 90m, 2h, 30d or PT90M)", check("timeout", Map.of("value", "90")));
        assertEquals("error: must be between 1m and 1d, not 1d1h", check("timeout", Map.of("value", "25h")));
        assertEquals("ok", check("timeout", Map.of("value", "90m")));
        assertTrue(check("accountsText", Map.of("value", "CHANGEME")).startsWith("error: "), "accounts");
        assertTrue(check("accountsText", Map.of("value", "CHANGEME")).contains("CHANGEME"), "names the bad value");
        assertEquals("ok", check("accountsText", Map.of("value", "111122223333")));
        assertEquals("error: eu-west-1 is the build region; the image is made there, copies go elsewhere",
                check("copiesText", Map.of("value", "eu-central-1 eu-west-1", "region", "eu-west-1")));
        assertEquals("error: 'eu-central' is not an AWS region name (like us-east-1 or eu-central-2)",
                check("copiesText", Map.of("value", "eu-central", "region", "")));
        assertTrue(check("source", Map.of("value", "ami-123")).startsWith("error: "), "source");
        assertEquals("ok", check("source", Map.of("value", "al2023")), "a tracked image name is a source");
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
