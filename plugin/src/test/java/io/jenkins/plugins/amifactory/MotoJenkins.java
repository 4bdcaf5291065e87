package io.jenkins.plugins.amifactory;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Run;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.AwsIdentity;
import io.jenkins.plugins.amifactory.config.StepDefaults;
import io.jenkins.plugins.amifactory.runners.AmiBuilds;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jvnet.hudson.test.JenkinsRule;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The plugin pointed at the JVM's Moto, and what the tests do in place of a real customisation. Moto's instances
 * never stop by themselves and its console is a fixed sample, so a test stops the build instance once the
 * build reads its console (the customise phase), and the build says {@code completion: stop}.
 */
public final class MotoJenkins {
    public static final String REGION = "us-east-1";
    /** Moto answers at once: no reason to wait the real poll intervals between steps of a build. */
    public static final Duration POLL = Duration.ofMillis(200);

    private MotoJenkins() {
    }

    /**
     * Global credentials "moto" as the tracking identity and as the identity steps without credentials may use,
     * the endpoint and the default region, saved (they survive a restart).
     */
    public static void configure(MotoServer moto) throws IOException {
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new AWSCredentialsImpl(CredentialsScope.GLOBAL, "moto", "testing", "testing", "Moto"));
        SystemCredentialsProvider.getInstance().save();
        AmiFactoryConfiguration config = AmiFactoryConfiguration.get();
        config.setTracking(new AwsIdentity("moto", "", ""));
        StepDefaults steps = new StepDefaults();
        steps.setCredentialsId("moto");
        steps.setAllowDefaultIdentity(true);
        config.setSteps(steps);
        config.setEndpoint(moto.endpoint().toString());
        config.setRegions(REGION);
        AmiBuilds.maxPoll = POLL;
    }

    /** Sets an SSM parameter in our account, which stands in for the public parameter AWS would update. */
    public static void publish(AwsClients aws, String parameter, String amiId) {
        aws.ssm(REGION).putParameter(r -> r.name(parameter).value(amiId).type(ParameterType.STRING).overwrite(true));
    }

    /** One of Moto's Amazon Linux 2 images, as the source of a build. */
    public static String amazonLinux(AwsClients aws) {
        return aws.ec2(REGION).describeImages(r -> r.owners("amazon")
                .filters(Filter.builder().name("name").values("amzn2-ami-hvm-*-x86_64-gp2").build()))
                .images().get(0).imageId();
    }

    /** Every build instance the factory launched, in any state. */
    public static List<Instance> buildInstances(AwsClients aws) {
        return aws.ec2(REGION).describeInstances(r -> r.filters(Filter.builder().name("tag:" + Tags.ROLE)
                        .values(Tags.ROLE_BUILD_INSTANCE).build()))
                .reservations().stream().map(Reservation::instances).flatMap(List::stream).toList();
    }

    public static List<Image> ownImages(AwsClients aws, String region) {
        return aws.ec2(region).describeImages(r -> r.owners("self")).images();
    }

    /** Waits until the build streams the instance's console (it is customising), then stops the instance. */
    public static void finishCustomisation(JenkinsRule j, Run<?, ?> run, AwsClients aws) throws Exception {
        j.waitForMessage("| Linux version", run);
        stopBuildInstance(aws);
    }

    public static void stopBuildInstance(AwsClients aws) {
        List<String> running = buildInstances(aws).stream().filter(i -> "running".equals(i.state().nameAsString()))
                .map(Instance::instanceId).toList();
        if (running.size() != 1) {
            throw new AssertionError("expected one running build instance, found " + running);
        }
        aws.ec2(REGION).stopInstances(r -> r.instanceIds(running));
    }
}
