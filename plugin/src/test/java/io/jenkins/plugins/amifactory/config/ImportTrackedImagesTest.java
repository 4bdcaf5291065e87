package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.amifactory.FormAnswers;
import java.util.List;
import java.util.Map;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The status page's import of a seed-004 {@code tracked_images} file: the answer appears next to the text, like a
 * form check, and names the line of a mistake inside seed 004's folded {@code Filters: >-} text.
 */
@WithJenkins
class ImportTrackedImagesTest {
    private static final String IMPORT = "descriptorByName/" + AmiFactoryConfiguration.class.getName() + "/importTrackedImages";

    /** Seed 004's README, as the walk-through pastes it; line 13 holds the second filter's Name key. */
    private static final String SEED004 = """
            images:
              - Name: al2-eks-1.27
                ParameterPath: "/aws/service/eks/optimized-ami/1.27/amazon-linux-2/recommended/image_id"
              - Name: al2-eks-1.27-arm
                ParameterPath: "/aws/service/eks/optimized-ami/1.27/amazon-linux-2-arm64/recommended/image_id"
              - Name: redhat-8.6.0-hvm
                Filters: >-
                  {
                    'Name': 'name',
                    'Values': ['RHEL-8.6.0_HVM-*-x86_64-*-Hourly2-GP2']
                  },
                  {
                    'Name': 'owner-alias',
                    'Values': ['amazon']
                  }
            """;

    private static List<String> names() {
        return AmiFactoryConfiguration.get().getTrackedImages().stream().map(TrackedImageConfig::getName).toList();
    }

    @Test
    void theImportAnswersNextToTheTextWithTheLineOfTheMistake(JenkinsRule j) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/ami-factory/");
            assertNotNull(page.getFirstByXPath("//textarea[@name='yaml']"), "the text goes in a textarea");
            DomElement button = page.getFirstByXPath("//button[@data-validate-button-method='importTrackedImages']");
            assertNotNull(button, "Import is a button that answers in place, not a form that leaves the page");
            assertTrue(button.getAttribute("data-validate-button-descriptor-url").endsWith(AmiFactoryConfiguration.class.getName()));
            assertEquals("yaml", button.getAttribute("data-validate-button-with"));
        }

        String mistake = FormAnswers.ask(j, IMPORT, Map.of("yaml", SEED004.replace("'Name': 'owner-alias'", "'Nam': 'owner-alias'")));
        assertEquals("error: pasted YAML:13: images[2].Filters: filter 2: unknown key 'Nam' (accepted: Name, Values)", mistake);
        assertEquals(List.of(), names(), "nothing imported");

        assertEquals("error: Paste a tracked_images YAML document first.", FormAnswers.ask(j, IMPORT, Map.of("yaml", " ")));

        assertEquals("ok: Imported 3 tracked images; added: al2-eks-1.27, al2-eks-1.27-arm, redhat-8.6.0-hvm. "
                + "Reload this page to see them; Check now looks them up at once.", FormAnswers.ask(j, IMPORT, Map.of("yaml", SEED004)));
        assertEquals(List.of("al2-eks-1.27", "al2-eks-1.27-arm", "redhat-8.6.0-hvm"), names());

        String again = "images:\n  - Name: al2-eks-1.27\n    ParameterPath: /aws/service/eks/optimized-ami/1.28/amazon-linux-2/recommended/image_id\n"
                + "  - Name: al2023\n    ParameterPath: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\n";
        assertEquals("ok: Imported 2 tracked images; added: al2023; replaced: al2-eks-1.27. "
                + "Reload this page to see them; Check now looks them up at once.", FormAnswers.ask(j, IMPORT, Map.of("yaml", again)));
        assertEquals(List.of("al2-eks-1.27", "al2-eks-1.27-arm", "redhat-8.6.0-hvm", "al2023"), names());
    }

    @Test
    void theSystemPageLinksToTheImport(JenkinsRule j) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/configure");
            DomElement link = page.getFirstByXPath("//a[contains(@href, 'manage/ami-factory/#import')]");
            assertNotNull(link, "the AMI Factory section links to the import");
            assertEquals("AMI Factory status → Import tracked images", link.asNormalizedText());
        }
    }
}
