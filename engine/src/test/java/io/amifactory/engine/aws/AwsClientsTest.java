package io.amifactory.engine.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.regions.Region;

/**
 * The client factory: role assumption calls STS at the regional endpoint of the region the caller works in, so
 * that roles work in the China and GovCloud partitions and no call from there goes to us-east-1; and checking
 * the credentials tells an interrupt from missing credentials.
 */
@ExtendWith(MotoExtension.class)
class AwsClientsTest {
    private static final String ROLE = "arn:aws:iam::111122223333:role/ami-factory";

    private static AwsSettings.Builder withRole() {
        return AwsSettings.builder().role(ROLE, null)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eu-west-1", "cn-north-1", "us-gov-west-1"})
    void theRolesStsClientWorksInTheHomeRegion(String region) {
        try (AwsClients clients = new AwsClients(withRole().homeRegion(region).build())) {
            clients.ec2("us-east-1"); // a client elsewhere does not move STS away from home
            assertEquals(Region.of(region), clients.roleSts().serviceClientConfiguration().region());
            assertEquals(Optional.empty(), clients.roleSts().serviceClientConfiguration().endpointOverride());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"eu-west-1", "cn-north-1", "us-gov-west-1"})
    void withoutAHomeRegionStsWorksInTheRegionOfTheFirstClientAskedFor(String region) {
        try (AwsClients clients = new AwsClients(withRole().build())) {
            clients.ssm(region);
            clients.ec2("us-east-1");
            assertEquals(Region.of(region), clients.roleSts().serviceClientConfiguration().region());
            AwsClients other = clients.forRole("arn:aws:iam::444455556666:role/reader", "ext");
            assertEquals(Region.of(region), other.roleSts().serviceClientConfiguration().region(),
                    "a role assumed from these clients calls STS in the same region");
        }
    }

    @Test
    void usEast1OnlyWhenNothingSaysWhereTheCallerWorks() {
        try (AwsClients clients = new AwsClients(withRole().build())) {
            assertEquals(Region.US_EAST_1, clients.roleSts().serviceClientConfiguration().region());
        }
        try (AwsClients noRole = new AwsClients(AwsSettings.builder().homeRegion("cn-north-1").build())) {
            assertNull(noRole.roleSts(), "no role, no STS client");
        }
    }

    @Test
    void anEndpointOverrideStillWins() {
        URI emulator = URI.create("http://127.0.0.1:4566");
        try (AwsClients clients = new AwsClients(withRole().homeRegion("cn-north-1").endpoint(emulator).build())) {
            assertEquals(Optional.of(emulator), clients.roleSts().serviceClientConfiguration().endpointOverride());
            assertEquals(Region.CN_NORTH_1, clients.roleSts().serviceClientConfiguration().region());
        }
    }

    @Test
    void aHomeRegionMustLookLikeARegion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AwsSettings.builder().homeRegion("cn-north"));
        assertTrue(e.getMessage().contains("'cn-north' is not an AWS region name"), e.getMessage());
        assertNull(AwsSettings.builder().homeRegion(" ").build().homeRegion());
    }

    /** On the wire: the AssumeRole call is signed for the region of the work, not for us-east-1. */
    @Test
    void theAssumeRoleCallIsMadeInTheRegionOfTheWork(MotoServer moto) {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
                AwsClients clients = new AwsClients(proxy.settings().toBuilder().role(ROLE, null).build())) {
            clients.ec2("us-gov-west-1").describeImages(b -> b.owners("self"));
            List<FaultProxy.Call> assumed = proxy.calls("sts:AssumeRole");
            assertEquals(1, assumed.size(), proxy.calls().toString());
            assertEquals("us-gov-west-1", assumed.get(0).region());
            assertEquals("us-gov-west-1", proxy.calls("ec2:DescribeImages").get(0).region());
        }
    }

    @Test
    void anInterruptWhileCheckingTheCredentialsIsNotMissingCredentials() {
        AwsSettings settings = AwsSettings.builder().credentials(() -> {
            throw AbortedException.create("Thread was interrupted");
        }).build();
        try (AwsClients clients = new AwsClients(settings)) {
            AwsInterruptedException e = assertThrows(AwsInterruptedException.class, clients::verifyCredentials);
            assertEquals("interrupted while resolving AWS credentials", e.getMessage());
            assertTrue(Thread.interrupted());
        }
    }
}
