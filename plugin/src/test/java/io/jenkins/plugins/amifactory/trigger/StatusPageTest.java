package io.jenkins.plugins.amifactory.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.util.StreamTaskListener;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.MotoJenkins;
import io.jenkins.plugins.amifactory.WithMoto;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.SsmParameterSource;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import java.util.List;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Manage Jenkins → AMI Factory status, as an administrator reads it after a check against Moto. */
@WithJenkins
@WithMoto
class StatusPageTest {
    private static final String PARAMETER = "/factory-test/base/image_id";

    private static TrackedImageConfig image(String name) {
        TrackedImageConfig image = new TrackedImageConfig(name, new SsmParameterSource(PARAMETER));
        image.setRegions(MotoJenkins.REGION);
        return image;
    }

    @Test
    void theRowsAreTheTrackedImagesWithTimesToTheMinuteAndIdsInOnePiece(JenkinsRule j, MotoServer moto, AwsClients aws)
            throws Exception {
        MotoJenkins.configure(moto);
        String ami = aws.ec2(MotoJenkins.REGION).describeImages().images().get(0).imageId();
        aws.ssm(MotoJenkins.REGION).putParameter(r -> r.name(PARAMETER).value(ami).type(ParameterType.STRING));
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTrackedImages(List.of(image("base"), image("removed-later")));
        AmiReleasePoller.get().runCycle(StreamTaskListener.fromStdout());
        config.setTrackedImages(List.of(image("base"), image("added-later")));

        HtmlPage page;
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            page = wc.goTo("manage/ami-factory/");
        }
        String text = page.getBody().asNormalizedText();
        assertTrue(text.contains("2 tracked images."), text);
        List<String> rows = page.getByXPath("//table[1]/tbody/tr").stream()
                .map(r -> ((DomElement) r).asNormalizedText().replaceAll("\\s+", " ").trim()).toList();
        assertEquals(2, rows.size(), "one row per tracked image and region, no more: " + rows);
        assertTrue(rows.get(0).startsWith("base us-east-1 " + ami + " "), rows.get(0));
        assertTrue(rows.get(0).matches(".* \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"),
                "creation date and last check to the minute, in UTC: " + rows.get(0));
        assertEquals("added-later us-east-1 not checked yet", rows.get(1));
        assertFalse(text.contains("removed-later us-east-1"), "an image removed from the configuration has no row");
        assertTrue(text.contains("images no longer tracked (removed-later)"), text);
        assertFalse(text.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d+Z.*"), "no nanoseconds anywhere: " + text);

        DomElement amiCell = page.getFirstByXPath("//table[1]/tbody/tr[1]/td[3]");
        DomElement regionCell = page.getFirstByXPath("//table[1]/tbody/tr[1]/td[2]");
        assertTrue(amiCell.getAttribute("class").contains("jenkins-table__cell--no-wrap"), "the AMI id does not wrap");
        assertTrue(regionCell.getAttribute("class").contains("jenkins-table__cell--no-wrap"), "the region does not wrap");
    }

    @Test
    void oneTrackedImageIsCountedInTheSingular(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration.get().setTrackedImages(List.of(image("base")));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            String text = wc.goTo("manage/ami-factory/").getBody().asNormalizedText();
            assertTrue(text.contains("1 tracked image."), text);
            assertFalse(text.contains("image(s)"), text);
        }
    }
}
