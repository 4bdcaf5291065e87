package io.jenkins.plugins.amifactory.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;

/**
 * Every AWS service the engine calls reaches a controller: through a library plugin (aws-java-sdk2-SERVICE; STS
 * comes with aws-java-sdk2-core) or as the one SDK jar the .hpi bundles. The services are read from the engine's
 * one client factory, so a service added there without a way into Jenkins fails this test.
 */
class SdkServicesTest {
    /** Services a library plugin other than aws-java-sdk2-SERVICE carries (its pom's dependencies). */
    private static final Map<String, String> CARRIED_BY = Map.of("sts", "aws-java-sdk2-core");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*(?:<!--.*?-->\\s*)?<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);

    /** The SDK artifact (e.g. "ec2") of every client type the engine's factory makes. */
    private static Map<String, String> servicesTheEngineCalls() {
        Map<String, String> out = new TreeMap<>();
        for (Method m : AwsClients.class.getMethods()) {
            Class<?> type = m.getReturnType();
            if (Modifier.isPublic(m.getModifiers()) && SdkClient.class.isAssignableFrom(type)) {
                Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
                // .../software/amazon/awssdk/<artifact>/<version>/<artifact>-<version>.jar
                out.put(jar.getParent().getParent().getFileName().toString(), type.getSimpleName());
            }
        }
        return out;
    }

    private static Set<String> pomDependencies() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Set<String> out = new TreeSet<>();
        Matcher m = DEPENDENCY.matcher(pom);
        while (m.find()) {
            out.add(m.group(1) + ":" + m.group(2));
        }
        return out;
    }

    @Test
    void everyServiceTheEngineCallsHasALibraryPluginOrABundledJar() throws Exception {
        Map<String, String> services = servicesTheEngineCalls();
        assertTrue(services.keySet().containsAll(Set.of("ec2", "ssm", "sts", "autoscaling", "kms", "sqs")), services.toString());
        Set<String> deps = pomDependencies();
        for (String service : services.keySet()) {
            String plugin = "io.jenkins.plugins.aws-java-sdk2:" + CARRIED_BY.getOrDefault(service, "aws-java-sdk2-" + service);
            String bundled = "software.amazon.awssdk:" + service;
            assertTrue(deps.contains(plugin) || deps.contains(bundled), service + " (" + services.get(service)
                    + ") needs " + plugin + " or a bundled " + bundled + " in plugin/pom.xml; it has " + deps);
        }
    }

    @Test
    void onlyKmsIsBundledBecauseNoLibraryPluginCarriesIt() throws Exception {
        Set<String> bundled = new TreeSet<>();
        for (String dep : pomDependencies()) {
            if (dep.startsWith("software.amazon.awssdk:")) {
                bundled.add(dep);
            }
        }
        assertEquals(Set.of("software.amazon.awssdk:kms"), bundled);
    }
}
