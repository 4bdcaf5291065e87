package io.amifactory.engine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The fault proxy against the real SDK and Moto: the SDK must read each injected error exactly as it reads
 * the real one (same exception type, code, status, throttling or not) and retry it.
 */
@ExtendWith(MotoExtension.class)
class FaultProxyTest {
    private static final String REGION = "us-east-1";
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    private FaultProxy proxy;
    private AwsClients aws;

    private AwsClients through(MotoServer moto, FaultPlan plan) {
        proxy = FaultProxy.start(moto.endpoint(), plan);
        aws = new AwsClients(proxy.settings().toBuilder().maxAttempts(3).build());
        return aws;
    }

    @AfterEach
    void close() {
        if (aws != null) {
            aws.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private List<Fault> faults(String selector) {
        return proxy.calls(selector).stream().map(FaultProxy.Call::fault).toList();
    }

    @Test
    void forwardsCleanCallsAndRecordsThemByServiceAndOperation(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.none());
        String ami = c.ssm(REGION).getParameters(b -> b.names(AL2023)).parameters().get(0).value();
        assertTrue(ami.startsWith("ami-"), ami);
        assertEquals(ami, c.ec2(REGION).describeImages(b -> b.imageIds(ami)).images().get(0).imageId());
        assertEquals(List.of("ssm:GetParameters", "ec2:DescribeImages"),
                proxy.calls().stream().map(FaultProxy.Call::type).toList());
        assertEquals(List.of(REGION, REGION), proxy.calls().stream().map(FaultProxy.Call::region).toList());
        assertEquals(List.of(200, 200), proxy.calls().stream().map(FaultProxy.Call::status).toList());
        assertEquals(List.of("getParameters", "describeImages"), proxy.log().calls());
        assertTrue(proxy.log().mutating().isEmpty());
    }

    @Test
    void ec2ThrottlingIsRequestLimitExceededAndIsRetried(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).inject("ec2:DescribeImages", Fault.THROTTLE, 1.0));
        Ec2Exception e = assertThrows(Ec2Exception.class, () -> c.ec2(REGION).describeImages(b -> b.owners("self")));
        assertTrue(e.isThrottlingException());
        assertEquals(503, e.statusCode());
        assertEquals("RequestLimitExceeded", e.awsErrorDetails().errorCode());
        assertEquals("Request limit exceeded.", e.awsErrorDetails().errorMessage());
        assertEquals(List.of(Fault.THROTTLE, Fault.THROTTLE, Fault.THROTTLE), faults("ec2:DescribeImages"),
                "three attempts (maxAttempts 3), all throttled");
    }

    @Test
    void ssmThrottlingIsAJsonThrottlingExceptionAndIsRetried(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).inject("ssm:*", Fault.THROTTLE, 1.0));
        SsmException e = assertThrows(SsmException.class, () -> c.ssm(REGION).getParameters(b -> b.names(AL2023)));
        assertTrue(e.isThrottlingException());
        assertEquals(400, e.statusCode());
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
        assertEquals(3, proxy.calls("ssm:GetParameters").size());
    }

    @Test
    void queryProtocolThrottlingIsThrottlingForAutoScalingAndSts(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).inject("autoscaling:*", Fault.THROTTLE, 1.0)
                .inject("sts:*", Fault.THROTTLE, 1.0));
        AutoScalingException asg = assertThrows(AutoScalingException.class,
                () -> c.autoScaling(REGION).describeAutoScalingGroups());
        assertTrue(asg.isThrottlingException());
        assertEquals("Throttling", asg.awsErrorDetails().errorCode());
        StsException sts = assertThrows(StsException.class, () -> c.sts(REGION).getCallerIdentity());
        assertTrue(sts.isThrottlingException());
        assertEquals(3, proxy.calls("autoscaling:DescribeAutoScalingGroups").size());
        assertEquals(3, proxy.calls("sts:GetCallerIdentity").size());
    }

    @Test
    void throttlingThatStopsIsAbsorbedByTheRetries(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).first("ssm:GetParameters", Fault.THROTTLE, 2));
        String ami = c.ssm(REGION).getParameters(b -> b.names(AL2023)).parameters().get(0).value();
        assertTrue(ami.startsWith("ami-"));
        assertEquals(Arrays.asList(Fault.THROTTLE, Fault.THROTTLE, null), faults("ssm:GetParameters"));
        assertEquals(200, proxy.calls().get(2).status());
    }

    @Test
    void serverErrorsAreRetriedAndAreNotThrottling(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).inject("ec2:*", Fault.SERVER_ERROR, 1.0)
                .inject("ssm:*", Fault.UNAVAILABLE, 1.0));
        Ec2Exception ec2 = assertThrows(Ec2Exception.class, () -> c.ec2(REGION).describeImages(b -> b.owners("self")));
        assertEquals(500, ec2.statusCode());
        assertEquals("InternalError", ec2.awsErrorDetails().errorCode());
        assertFalse(ec2.isThrottlingException());
        SsmException ssm = assertThrows(SsmException.class, () -> c.ssm(REGION).getParameters(b -> b.names(AL2023)));
        assertEquals(503, ssm.statusCode());
        assertEquals("ServiceUnavailable", ssm.awsErrorDetails().errorCode());
        assertEquals(3, proxy.calls("ec2:DescribeImages").size());
        assertEquals(3, proxy.calls("ssm:GetParameters").size());
    }

    @Test
    void droppedConnectionsAreClientErrorsAndAreRetried(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).inject("ec2:DescribeImages", Fault.DROP, 1.0)
                .first("ssm:GetParameters", Fault.DROP, 2));
        SdkException e = assertThrows(SdkException.class, () -> c.ec2(REGION).describeImages(b -> b.owners("self")));
        assertInstanceOf(SdkClientException.class, e, "no response is not a service error: " + e);
        assertEquals(List.of(-1, -1, -1), proxy.calls("ec2:DescribeImages").stream().map(FaultProxy.Call::status).toList());
        assertTrue(c.ssm(REGION).getParameters(b -> b.names(AL2023)).parameters().get(0).value().startsWith("ami-"));
        assertEquals(Arrays.asList(Fault.DROP, Fault.DROP, null), faults("ssm:GetParameters"));
    }

    /**
     * A lost reply to a call that is not idempotent: AWS did it, the SDK retries, and the retry fails.
     * The build and share flows must make their mutating calls idempotent (client tokens, "already
     * exists" read as done) for this reason; docs/reliability.md lists it.
     */
    @Test
    void aLostReplyToANonIdempotentCallMakesTheRetryFail(MotoServer moto, AwsClients direct) {
        AwsClients c = through(moto, FaultPlan.seeded(1).first("ssm:PutParameter", Fault.DROP_AFTER, 1));
        SsmException e = assertThrows(SsmException.class, () -> c.ssm(REGION).putParameter(b -> b.name("/up/x")
                .value("ami-0123456789abcdef0").type(ParameterType.STRING)));
        assertEquals("ParameterAlreadyExists", e.awsErrorDetails().errorCode());
        assertEquals("ami-0123456789abcdef0",
                direct.ssm(REGION).getParameter(b -> b.name("/up/x")).parameter().value(), "the first attempt was carried out");
        assertEquals(Arrays.asList(Fault.DROP_AFTER, null), faults("ssm:PutParameter"));
        assertEquals(List.of("putParameter", "putParameter"), proxy.log().mutating());
    }

    @Test
    void latencyDelaysWithoutFailing(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).latency("ssm:*", Duration.ofMillis(200), 1.0));
        assertTrue(c.ssm(REGION).getParameters(b -> b.names(AL2023)).parameters().get(0).value().startsWith("ami-"));
        FaultProxy.Call call = proxy.calls().get(0);
        assertEquals(Duration.ofMillis(200), call.delay());
        assertNull(call.fault());
        assertEquals(200, call.status());
    }

    @Test
    void faultsGoOnlyToTheCallTypesSelected(MotoServer moto) {
        AwsClients c = through(moto, FaultPlan.seeded(1).inject("ssm:*", Fault.THROTTLE, 1.0));
        assertTrue(c.ec2(REGION).describeImages(b -> b.owners("self")).images().isEmpty());
        assertEquals(List.of("ec2:DescribeImages"), proxy.calls().stream().map(FaultProxy.Call::type).toList());
        AwsServiceException e = assertThrows(SsmException.class, () -> c.ssm(REGION).getParameters(b -> b.names(AL2023)));
        assertTrue(e.isThrottlingException());
    }

    @Test
    void ratesAddUpAndTheSameSeedGivesTheSameFaultsPerRegionAndCallType() {
        List<Fault> first = draws(FaultPlan.seeded(7).inject(Fault.THROTTLE, 0.5).inject(Fault.SERVER_ERROR, 0.05), 4000);
        List<Fault> again = draws(FaultPlan.seeded(7).inject(Fault.THROTTLE, 0.5).inject(Fault.SERVER_ERROR, 0.05), 4000);
        List<Fault> other = draws(FaultPlan.seeded(8).inject(Fault.THROTTLE, 0.5).inject(Fault.SERVER_ERROR, 0.05), 4000);
        assertEquals(first, again);
        assertNotEquals(first, other);
        long throttled = first.stream().filter(f -> f == Fault.THROTTLE).count();
        long errors = first.stream().filter(f -> f == Fault.SERVER_ERROR).count();
        assertTrue(throttled > 1800 && throttled < 2200, "about half throttled: " + throttled);
        assertTrue(errors > 120 && errors < 280, "about 5% server errors: " + errors);
    }

    private static List<Fault> draws(FaultPlan plan, int n) {
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(plan.decide("ec2", "DescribeImages", "eu-west-1").fault());
        }
        return out;
    }
}
