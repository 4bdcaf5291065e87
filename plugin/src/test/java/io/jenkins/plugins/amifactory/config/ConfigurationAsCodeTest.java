package io.jenkins.plugins.amifactory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("casc.yml")
    void importsTheConfiguration(JenkinsConfiguredWithCodeRule r) {
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        assertEquals("us-east-1 eu-west-1", config.getRegions());
        assertEquals(20, config.getPollIntervalMinutes());
        assertEquals("arn:aws:iam::123456789012:role/ami-factory", config.getRoleArn());
        assertEquals(2, config.getTrackedImages().size());
        TrackedImageConfig eks = config.getTrackedImages().get(0);
        assertEquals("eks-1.31-al2023", eks.getName());
        assertEquals("/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id",
                assertInstanceOf(SsmParameterSource.class, eks.getSource()).getPath());
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
    }
}
