package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.XmlFile;
import hudson.model.Saveable;
import hudson.model.listeners.SaveableListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Manage Jenkins → System → AMI Factory, through the real form. */
@WithJenkins
class AmiFactoryConfigurationTest {

    @Test
    void everyFieldSurvivesTheSystemPage(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        TrackedImageConfig al2023 = new TrackedImageConfig("al2023",
                new SsmParameterSource("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"));
        al2023.setRegions("us-east-1 eu-west-1");
        al2023.setNotificationQueue("https://sqs.us-east-1.amazonaws.com/123456789012/al2023-updates");
        ImageFiltersSource rhelSource = new ImageFiltersSource("name=RHEL-9.*_HVM-*\narchitecture=x86_64");
        rhelSource.setOwners("309956199498");
        rhelSource.setIncludeDeprecated(true);
        TrackedImageConfig rhel = new TrackedImageConfig("rhel-9", rhelSource);
        rhel.setRoleArn("arn:aws:iam::111122223333:role/reader");
        rhel.setExternalId("ext-1");
        config.setTrackedImages(List.of(al2023, rhel));
        config.setTracking(new AwsIdentity("", "arn:aws:iam::123456789012:role/ami-tracker", "tracker"));
        StepDefaults steps = new StepDefaults();
        steps.setAllowDefaultIdentity(true);
        steps.setRoleArn("arn:aws:iam::123456789012:role/ami-builder");
        config.setSteps(steps);
        config.setRegions("us-east-1");
        config.setPollIntervalMinutes(30);
        config.setEndpoint("http://127.0.0.1:5000");

        j.configRoundtrip();

        config = AmiFactoryConfiguration.get();
        assertEquals(2, config.getTrackedImages().size());
        TrackedImageConfig first = config.getTrackedImages().get(0);
        assertEquals("al2023", first.getName());
        assertEquals("us-east-1 eu-west-1", first.getRegions());
        assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/al2023-updates", first.getNotificationQueue());
        assertEquals("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                assertInstanceOf(SsmParameterSource.class, first.getSource()).getPath());
        TrackedImageConfig second = config.getTrackedImages().get(1);
        ImageFiltersSource filters = assertInstanceOf(ImageFiltersSource.class, second.getSource());
        assertEquals("name=RHEL-9.*_HVM-*\narchitecture=x86_64", filters.getFilters());
        assertEquals("309956199498", filters.getOwners());
        assertTrue(filters.isIncludeDeprecated());
        assertEquals("arn:aws:iam::111122223333:role/reader", second.getRoleArn());
        assertEquals("ext-1", second.getExternalId());
        assertEquals("arn:aws:iam::123456789012:role/ami-tracker", config.getTracking().getRoleArn());
        assertEquals("tracker", config.getTracking().getExternalId());
        assertTrue(config.getSteps().isAllowDefaultIdentity());
        assertEquals("arn:aws:iam::123456789012:role/ami-builder", config.getSteps().getRoleArn());
        assertEquals("", config.getSteps().getExternalId());
        assertEquals("us-east-1", config.getRegions());
        assertEquals(30, config.getPollIntervalMinutes());
        assertEquals("http://127.0.0.1:5000", config.getEndpoint());
    }

    @Test
    void stepsMayNotUseADefaultIdentityUntilAnAdministratorAllowsIt(JenkinsRule j) throws Exception {
        assertFalse(AmiFactoryConfiguration.get().getSteps().isAllowDefaultIdentity());
        j.configRoundtrip();
        assertFalse(AmiFactoryConfiguration.get().getSteps().isAllowDefaultIdentity(), "the form keeps it off");
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
    void aRefusedFormChangesNothingInMemoryOrOnDiskAndSaysWhy(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTrackedImages(List.of(new TrackedImageConfig("al2023", new SsmParameterSource("/aws/service/a")),
                new TrackedImageConfig("rhel-9", new SsmParameterSource("/aws/service/b"))));
        config.setRegions("us-east-1");
        Path file = j.jenkins.getRootDir().toPath().resolve(AmiFactoryConfiguration.class.getName() + ".xml");
        String onDisk = Files.readString(file, StandardCharsets.UTF_8);
        String answer;
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            HtmlForm form = wc.goTo("configure").getFormByName("config");
            for (HtmlInput name : form.getInputsByName("_.name")) {
                if ("rhel-9".equals(name.getValue())) {
                    name.setValue("al2023"); // the same name twice: the form is refused
                }
            }
            form.getInputByValue("us-east-1").setValue("eu-west-1");
            HtmlPage result = j.submit(form);
            answer = result.getWebResponse().getContentAsString();
        }
        assertTrue(answer.contains("tracked images 1 and 2 are both named &#39;al2023&#39;")
                || answer.contains("tracked images 1 and 2 are both named 'al2023'"), answer);
        assertUnchanged(config);
        assertEquals(onDisk, Files.readString(file, StandardCharsets.UTF_8),
                "nothing of the refused form was saved");
        config.load(); // what a restart would read
        assertUnchanged(config);
    }

    private static void assertUnchanged(AmiFactoryConfiguration config) {
        assertEquals(List.of("al2023", "rhel-9"), config.getTrackedImages().stream().map(TrackedImageConfig::getName).toList());
        assertEquals("us-east-1", config.getRegions());
    }

    @Test
    void everySetterRefusesWhatTheFormWouldRefuseNamingTheField(JenkinsRule j) {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        assertEquals("pollIntervalMinutes: must be at least 5 minutes, not 1",
                assertThrows(ConfigurationException.class, () -> config.setPollIntervalMinutes(1)).getMessage());
        assertEquals(AmiFactoryConfiguration.DEFAULT_POLL_MINUTES, config.getPollIntervalMinutes());
        assertTrue(assertThrows(ConfigurationException.class, () -> config.setTrackedImages(List.of(
                new TrackedImageConfig("a", new SsmParameterSource("/aws/service/a")),
                new TrackedImageConfig("a", new SsmParameterSource("/aws/service/b"))))).getMessage()
                .startsWith("trackedImages: tracked images 1 and 2 are both named 'a'"));
        assertTrue(assertThrows(ConfigurationException.class, () -> config.setTracking(
                new AwsIdentity("", "not-a-role", ""))).getMessage().startsWith("tracking.roleArn: "));
        StepDefaults externalIdAlone = new StepDefaults();
        externalIdAlone.setExternalId("x");
        assertTrue(assertThrows(ConfigurationException.class, () -> config.setSteps(externalIdAlone)).getMessage()
                .startsWith("steps.externalId: "));
        assertTrue(assertThrows(ConfigurationException.class, () -> config.setRegions("us-east-1 eu_central_1"))
                .getMessage().startsWith("regions: "));
        assertTrue(assertThrows(ConfigurationException.class, () -> config.setEndpoint("ftp://x"))
                .getMessage().startsWith("endpoint: "));
        assertEquals(List.of(), config.getTrackedImages());
        assertEquals("", config.getTracking().getRoleArn());
        assertEquals("", config.getRegions());
        assertEquals("", config.getEndpoint());
    }

    @Test
    void theSystemFormSavesTheConfigurationOnce(JenkinsRule j) throws Exception {
        AmiFactoryConfiguration.get().setRegions("us-east-1");
        CountSaves.saves.set(0);
        j.configRoundtrip();
        assertEquals(1, CountSaves.saves.get(), "one save for the whole form, not one per field");
    }

    @TestExtension("theSystemFormSavesTheConfigurationOnce")
    public static final class CountSaves extends SaveableListener {
        static final AtomicInteger saves = new AtomicInteger();

        @Override
        public void onChange(Saveable o, XmlFile file) {
            if (o instanceof AmiFactoryConfiguration) {
                saves.incrementAndGet();
            }
        }
    }
}
