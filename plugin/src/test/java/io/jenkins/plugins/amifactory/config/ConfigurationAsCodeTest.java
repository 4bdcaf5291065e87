package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfiguratorException;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.yaml.YamlSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("casc.yml")
    void importsTheConfiguration(JenkinsConfiguredWithCodeRule r) {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        assertEquals("us-east-1 eu-west-1", config.getRegions());
        assertEquals(20, config.getPollIntervalMinutes());
        assertEquals("arn:aws:iam::123456789012:role/ami-tracker", config.getTracking().getRoleArn());
        assertTrue(config.getSteps().isAllowDefaultIdentity());
        assertEquals("arn:aws:iam::123456789012:role/ami-builder", config.getSteps().getRoleArn());
        assertEquals(2, config.getTrackedImages().size());
        TrackedImageConfig eks = config.getTrackedImages().get(0);
        assertEquals("eks-1.31-al2023", eks.getName());
        assertEquals("/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id",
                assertInstanceOf(SsmParameterSource.class, eks.getSource()).getPath());
        assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/eks-updates", eks.getNotificationQueue());
        TrackedImageConfig rhel = config.getTrackedImages().get(1);
        ImageFiltersSource filters = assertInstanceOf(ImageFiltersSource.class, rhel.getSource());
        assertEquals("name=RHEL-9.*_HVM-*-x86_64-*\narchitecture=x86_64", filters.getFilters());
        assertEquals("309956199498", filters.getOwners());
        assertEquals("eu-west-1", rhel.getRegions());
    }

    @Test
    @ConfiguredWithCode("casc.yml")
    void exportsWhatItImported(JenkinsConfiguredWithCodeRule r) throws Exception {
        String exported = r.exportToString(false);
        assertTrue(exported.contains("amiFactory:"), exported);
        assertTrue(exported.contains("eks-1.31-al2023"), exported);
        assertTrue(exported.contains("ssmParameter:"), exported);
        assertTrue(exported.contains("imageFilters:"), exported);
        assertTrue(exported.contains("pollIntervalMinutes: 20"), exported);
        assertTrue(exported.contains("allowDefaultIdentity: true"), exported);
        assertTrue(exported.contains("roleArn: \"arn:aws:iam::123456789012:role/ami-tracker\""), exported);
    }

    @Test
    @ConfiguredWithCode("casc.yml")
    void aConfigurationTheFormWouldRefuseIsRefusedAndChangesNothing(JenkinsConfiguredWithCodeRule r) {
        String twice = "unclassified:\n  amiFactory:\n    trackedImages:\n"
                + "      - name: a\n        source:\n          ssmParameter:\n            path: /aws/service/a\n"
                + "      - name: a\n        source:\n          ssmParameter:\n            path: /aws/service/b\n";
        ConfiguratorException refused = assertThrows(ConfiguratorException.class, () -> apply(twice));
        assertTrue(causes(refused).contains("trackedImages: tracked images 1 and 2 are both named 'a'"), causes(refused));
        assertEquals(List.of("eks-1.31-al2023", "rhel-9"),
                AmiFactoryConfiguration.get().getTrackedImages().stream().map(TrackedImageConfig::getName).toList());

        ConfiguratorException interval = assertThrows(ConfiguratorException.class,
                () -> apply("unclassified:\n  amiFactory:\n    pollIntervalMinutes: 1\n"));
        assertTrue(causes(interval).contains("pollIntervalMinutes: must be at least 5 minutes"), causes(interval));
        assertEquals(20, AmiFactoryConfiguration.get().getPollIntervalMinutes());
    }

    private static void apply(String yaml) throws ConfiguratorException {
        ConfigurationAsCode.get().configureWith(
                YamlSource.of(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"));
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
