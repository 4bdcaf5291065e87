package io.amifactory.engine.testkit;

import io.amifactory.engine.aws.ClientSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A {@link ClientSource} of fakes: one {@link FakeEc2} and {@link FakeSsm} per region and one {@link FakeSqs},
 * all recording into one {@link CallLog}. Roles are recorded in {@link #roles} and share the same fakes.
 */
public class FakeClients implements ClientSource {
    public final CallLog log = new CallLog();
    private final Map<String, FakeEc2> ec2 = new ConcurrentHashMap<>();
    private final Map<String, FakeSsm> ssm = new ConcurrentHashMap<>();
    public final java.util.Set<String> roles = ConcurrentHashMap.newKeySet();
    /** One SQS for every region (queues are known by URL); the regions asked for are in {@link #sqsRegions}. */
    public final FakeSqs sqs = new FakeSqs(log);
    public final java.util.Set<String> sqsRegions = ConcurrentHashMap.newKeySet();

    public FakeEc2 ec2Fake(String region) {
        return ec2.computeIfAbsent(region, r -> new FakeEc2(log));
    }

    public FakeSsm ssmFake(String region) {
        return ssm.computeIfAbsent(region, r -> new FakeSsm(log));
    }

    @Override
    public Ec2Client ec2(String region) {
        return ec2Fake(region);
    }

    @Override
    public SsmClient ssm(String region) {
        return ssmFake(region);
    }

    @Override
    public software.amazon.awssdk.services.sqs.SqsClient sqs(String region) {
        sqsRegions.add(region);
        return sqs;
    }

    @Override
    public AutoScalingClient autoScaling(String region) {
        throw new UnsupportedOperationException("no auto scaling fake here");
    }

    @Override
    public ClientSource forRole(String roleArn, String externalId) {
        if (roleArn != null && !roleArn.isBlank()) {
            roles.add(roleArn);
        }
        return this;
    }
}
