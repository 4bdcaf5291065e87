package io.jenkins.plugins.amifactory.builders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.amifactory.FormAnswers;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.StepDefaults;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The freestyle builders' fields, checked as they are typed in a job's configuration: the engine's rules and
 * words, the same as when the build runs; ${VARIABLES} are left to the build, which expands them first.
 */
@WithJenkins
class BuilderFormChecksTest {
    private static final String JOB = "job/bake/";
    private JenkinsRule j;

    @BeforeEach
    void job(JenkinsRule rule) throws Exception {
        j = rule;
        j.createFreeStyleProject("bake");
    }

    private String check(Class<?> builder, String field, Map<String, String> parameters) throws Exception {
        return FormAnswers.check(j, JOB, builder, field, parameters);
    }

    @Test
    void theBuildSpecIsReadByTheEngineWithItsLineAndField() throws Exception {
        String spec = "name: api\nimageName: \"api-{stamp}\"\nsource: ami-0123456789abcdef0\nbootstrapUrl: https://example.com/b.sh\n";
        String answer = check(AmiBuildBuilder.class, "spec",
                Map.of("value", spec, "specFile", "", "name", "", "region", "eu-west-1"));
        assertTrue(answer.startsWith("error: spec:2: imageName: unknown placeholder {stamp} (known: "), answer);
        assertEquals("ok", check(AmiBuildBuilder.class, "spec", Map.of("value", spec.replace("{stamp}", "{timestamp}"),
                "specFile", "", "name", "", "region", "${AMI_REGION}")));
        assertEquals("error: Give the spec here or as a spec file in the workspace, not both.",
                check(AmiBuildBuilder.class, "spec", Map.of("value", spec, "specFile", "ami.yaml", "name", "", "region", "")));
        String copies = check(AmiBuildBuilder.class, "spec", Map.of("value", spec.replace("{stamp}", "{timestamp}") + "copies: [eu-west-1]\n", "specFile", "",
                "name", "", "region", "eu-west-1"));
        assertTrue(copies.startsWith("error: spec:5: copies[0]: eu-west-1 is the build region"), copies);
    }

    @Test
    void shareFieldsAreCheckedByTheEngine() throws Exception {
        assertEquals("error: 'CHANGEME' is not an AWS account id (12 digits)",
                check(AmiShareBuilder.class, "accounts", Map.of("value", "111122223333 CHANGEME")));
        assertEquals("ok", check(AmiShareBuilder.class, "accounts", Map.of("value", "${ACCOUNTS}")));
        assertTrue(check(AmiShareBuilder.class, "image", Map.of("value", "ami-123", "name", ""))
                .startsWith("error: 'ami-123' is not an AMI id"));
        assertEquals("ok", check(AmiShareBuilder.class, "image", Map.of("value", "${AMI_IDS}", "name", "")));
        assertEquals("ok", check(AmiShareBuilder.class, "image",
                Map.of("value", "eu-west-1=ami-0123456789abcdef0 eu-central-1=ami-0123456789abcdef1", "name", "")));
        assertTrue(check(AmiShareBuilder.class, "ouArns", Map.of("value", "ou-1")).startsWith(
                "error: 'ou-1' is not an organizational unit ARN"));
    }

    @Test
    void credentialsAreRequiredUnlessAnAdministratorAllowedADefaultIdentity() throws Exception {
        for (Class<?> builder : List.of(AmiBuildBuilder.class, AmiShareBuilder.class, AmiPruneBuilder.class)) {
            assertEquals("error: Required: steps without AWS credentials may not run as the controller's AWS identity "
                    + "(an administrator can allow it on Manage Jenkins > System > AMI Factory: steps).",
                    check(builder, "credentialsId", Map.of("value", "")), builder.getSimpleName());
            assertEquals("ok", check(builder, "credentialsId", Map.of("value", "ami-factory")));
        }
        StepDefaults allowed = new StepDefaults();
        allowed.setAllowDefaultIdentity(true);
        AmiFactoryConfiguration.get().setSteps(allowed);
        assertEquals("ok: Empty: the steps' default identity (the controller's own AWS credentials).",
                check(AmiPruneBuilder.class, "credentialsId", Map.of("value", "")));
    }

    @Test
    void pruneFieldsAreCheckedByTheEngine() throws Exception {
        assertEquals("error: must be a whole number, not 'three'", check(AmiPruneBuilder.class, "keep", Map.of("value", "three")));
        assertEquals("ok", check(AmiPruneBuilder.class, "keep", Map.of("value", "3")));
        assertEquals("error: '30 days' is not a duration (like 30d, 12h, 90m, 2w or P30D)",
                check(AmiPruneBuilder.class, "maxAge", Map.of("value", "30 days")));
        assertEquals("error: 'delete' is not an action (deregister, deprecate or disable)",
                check(AmiPruneBuilder.class, "action", Map.of("value", "delete")));
        assertEquals("error: only goes with action: deprecate",
                check(AmiPruneBuilder.class, "deprecateAt", Map.of("value", "30d", "action", "deregister")));
        assertEquals("ok", check(AmiPruneBuilder.class, "deprecateAt", Map.of("value", "30d", "action", "deprecate")));
        assertTrue(check(AmiPruneBuilder.class, "name", Map.of("value", "")).startsWith("error: "),
                "the builder finds its images by name: required");
    }

    @Test
    void theActionIsAChoiceOfTheEnginesActionsAndSurvivesTheForm() throws Exception {
        JSONObject items = JSONObject.fromObject(FormAnswers.raw(j, JOB + "descriptorByName/"
                + AmiPruneBuilder.class.getName() + "/fillActionItems", Map.of("action", "")));
        JSONArray values = items.getJSONArray("values");
        assertEquals(List.of("", "deregister", "deprecate", "disable"),
                values.stream().map(v -> ((JSONObject) v).getString("value")).toList());
        assertEquals("Default: deregister", values.getJSONObject(0).getString("name"),
                "the first entry leaves the engine's default, so an unset action stays unset");

        FreeStyleProject p = (FreeStyleProject) j.jenkins.getItem("bake");
        AmiPruneBuilder prune = new AmiPruneBuilder();
        prune.setName("web-*");
        prune.setAction("deprecate");
        prune.setDeprecateAt("30d");
        p.getBuildersList().add(prune);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            assertNotNull(wc.getPage(p, "configure").getFirstByXPath("//select[@name='_.action']"),
                    "the action is a drop-down");
        }
        j.configRoundtrip(p);
        assertEquals("deprecate", p.getBuildersList().get(AmiPruneBuilder.class).getAction());
    }
}
