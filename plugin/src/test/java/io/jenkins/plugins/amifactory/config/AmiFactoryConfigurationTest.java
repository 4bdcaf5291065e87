package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class AmiFactoryConfigurationTest {

    @Test
    void everyFieldSurvivesTheSystemPage(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        TrackedImageConfig al2023 = new TrackedImageConfig("al2023",
                new SsmParameterSource("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"));
        al2023.setRegions("us-east-1 eu-west-1");
        ImageFiltersSource rhelSource = new ImageFiltersSource("name=RHEL-9.*_HVM-*\narchitecture=x86_64");
        rhelSource.setOwners("309956199498");
        rhelSource.setIncludeDeprecated(true);
        TrackedImageConfig rhel = new TrackedImageConfig("rhel-9", rhelSource);
        rhel.setRoleArn("arn:aws:iam::111122223333:role/reader");
        rhel.setExternalId("ext-1");
        config.setTrackedImages(List.of(al2023, rhel));
        config.setRoleArn("arn:aws:iam::123456789012:role/ami-factory");
        config.setExternalId("factory");
        config.setRegions("us-east-1");
        config.setPollIntervalMinutes(30);
        config.setEndpoint("http://127.0.0.1:5000");

        j.configRoundtrip();

        config = AmiFactoryConfiguration.get();
        assertEquals(2, config.getTrackedImages().size());
        TrackedImageConfig first = config.getTrackedImages().get(0);
        assertEquals("al2023", first.getName());
        assertEquals("us-east-1 eu-west-1", first.getRegions());
        assertEquals("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                assertInstanceOf(SsmParameterSource.class, first.getSource()).getPath());
        TrackedImageConfig second = config.getTrackedImages().get(1);
        ImageFiltersSource filters = assertInstanceOf(ImageFiltersSource.class, second.getSource());
        assertEquals("name=RHEL-9.*_HVM-*\narchitecture=x86_64", filters.getFilters());
        assertEquals("309956199498", filters.getOwners());
        assertTrue(filters.isIncludeDeprecated());
        assertEquals("arn:aws:iam::111122223333:role/reader", second.getRoleArn());
        assertEquals("ext-1", second.getExternalId());
        assertEquals("arn:aws:iam::123456789012:role/ami-factory", config.getRoleArn());
        assertEquals("factory", config.getExternalId());
        assertEquals("us-east-1", config.getRegions());
        assertEquals(30, config.getPollIntervalMinutes());
        assertEquals("http://127.0.0.1:5000", config.getEndpoint());
    }

    @Test
    void anEmptyImageListStaysEmptyThroughTheForm(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTrackedImages(List.of(new TrackedImageConfig("al2023", new SsmParameterSource("/aws/service/x"))));
        config.setTrackedImages(List.of());
        j.configRoundtrip();
        assertEquals(0, AmiFactoryConfiguration.get().getTrackedImages().size());
    }

    @Test
    void aRefusedFormChangesNothingInMemoryOrOnDisk(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTrackedImages(List.of(new TrackedImageConfig("al2023", new SsmParameterSource("/aws/service/a")),
                new TrackedImageConfig("rhel-9", new SsmParameterSource("/aws/service/b"))));
        config.setRegions("us-east-1");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            HtmlForm form = wc.goTo("configure").getFormByName("config");
            for (HtmlInput name : form.getInputsByName("_.name")) {
                if ("rhel-9".equals(name.getValue())) {
                    name.setValue("al2023"); // the same name twice: the form is refused
                }
            }
            form.getInputByValue("us-east-1").setValue("eu-west-1");
            j.submit(form);
        }
        assertUnchanged(config);
        config.load(); // what a restart would read
        assertUnchanged(config);
    }

    private static void assertUnchanged(AmiFactoryConfiguration config) {
        assertEquals(List.of("al2023", "rhel-9"), config.getTrackedImages().stream().map(TrackedImageConfig::getName).toList());
        assertEquals("us-east-1", config.getRegions());
    }

    @Test
    void pollIntervalBelowTheMinimumIsRaised(JenkinsRule j) {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setPollIntervalMinutes(1);
        assertEquals(AmiFactoryConfiguration.MIN_POLL_MINUTES, config.getPollIntervalMinutes());
    }
}
