package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/** On the wire: the SDK retries a creating call AWS throttled (nothing was done), not one whose reply was lost. */
@ExtendWith(MotoExtension.class)
class SingleAttemptTest {
    @Test
    void aThrottledLaunchIsRetriedByTheSdkALostReplyIsLeftToTheBuild(MotoServer moto, AwsClients direct) {
        String ami = direct.ec2("us-east-1").describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        RunInstancesRequest launch = RunInstancesRequest.builder().imageId(ami).instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1).overrideConfiguration(SingleAttempt.OVERRIDE).build();
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
                AwsClients clients = new AwsClients(proxy.settings())) {
            Ec2Client ec2 = clients.ec2("us-east-1");

            proxy.plan(FaultPlan.none().first("ec2:RunInstances", Fault.THROTTLE, 1));
            ec2.runInstances(launch);
            assertEquals(2, proxy.calls("ec2:RunInstances").size(), "throttled, then retried by the SDK");

            proxy.clear();
            proxy.plan(FaultPlan.none().first("ec2:RunInstances", Fault.DROP_AFTER, 1));
            SdkClientException lost = assertThrows(SdkClientException.class, () -> ec2.runInstances(launch));
            assertTrue(AwsErrors.isTransient(lost), "the build machine retries the phase: " + lost);
            assertEquals(1, proxy.calls("ec2:RunInstances").size(), "not repeated blindly");

            proxy.clear();
            proxy.plan(FaultPlan.none().first("ec2:RunInstances", Fault.SERVER_ERROR, 1));
            assertThrows(RuntimeException.class, () -> ec2.runInstances(launch));
            assertEquals(1, proxy.calls("ec2:RunInstances").size(), "a 500 may have been carried out: not repeated");
        }
        assertEquals(2, direct.ec2("us-east-1").describeInstances().reservations().stream()
                .mapToInt(r -> r.instances().size()).sum(), "the throttled launch and the lost one, nothing twice");
    }

    @Test
    void aLostSendCommandReplyIsNotSentAgainByTheSdk(MotoServer moto, AwsClients direct) {
        String ami = direct.ec2("us-east-1").describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        String instance = direct.ec2("us-east-1").runInstances(b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1)).instances().get(0).instanceId();
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
                AwsClients clients = new AwsClients(proxy.settings())) {
            proxy.plan(FaultPlan.none().first("ssm:SendCommand", Fault.DROP_AFTER, 1));
            assertThrows(SdkClientException.class, () -> clients.ssm("us-east-1").sendCommand(b -> b.instanceIds(instance)
                    .documentName("AWS-RunShellScript").comment("amifactory build test")
                    .parameters(java.util.Map.of("commands", java.util.List.of("true")))
                    .overrideConfiguration(SingleAttempt.OVERRIDE)));
            assertEquals(1, proxy.calls("ssm:SendCommand").size(), "the script is not sent a second time");
        }
        assertEquals(1, direct.ssm("us-east-1").listCommands(b -> b.instanceId(instance)).commands().size(),
                "the lost attempt was carried out once; the build finds it by its comment");
    }
}
