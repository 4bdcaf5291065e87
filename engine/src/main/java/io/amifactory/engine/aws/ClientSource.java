package io.amifactory.engine.aws;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where engine code gets its SDK clients: {@link AwsClients} in production, in-memory fakes of the
 * same SDK interfaces in unit tests. Engine classes take a ClientSource, never build clients.
 */
public interface ClientSource {
    Ec2Client ec2(String region);

    SsmClient ssm(String region);

    AutoScalingClient autoScaling(String region);

    /** KMS, to tell AWS-managed keys from customer keys (sharing encrypted AMIs). Fakes need not have it. */
    default KmsClient kms(String region) {
        throw new UnsupportedOperationException("this ClientSource has no KMS client");
    }

    /** SQS, for tracked images' notification queues. Fakes need not have it. */
    default SqsClient sqs(String region) {
        throw new UnsupportedOperationException("this ClientSource has no SQS client");
    }

    /** Clients acting as another role (assumed from these credentials); a blank role returns this. */
    ClientSource forRole(String roleArn, String externalId);
}
