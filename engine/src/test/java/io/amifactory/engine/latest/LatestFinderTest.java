package io.amifactory.engine.latest;

import static io.amifactory.engine.image.FakeCloud.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.image.FakeCloud;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ImageState;

class LatestFinderTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    final FakeCloud cloud = new FakeCloud();
    final LatestFinder finder = new LatestFinder(cloud, Clock.fixed(NOW, ZoneOffset.UTC));

    LatestReport find(String yaml) {
        return finder.find(LatestRequest.parse(InputNode.parse("latest", yaml), List.of("us-east-1")), ProgressListener.NONE);
    }

    @Test
    void newestByCreationDateWhateverOrderEc2ListsThemIn() {
        cloud.region("us-east-1")
                .put(image("ami-00000002", "web-b", "2025-03-01T00:00:00.000Z").build())
                .put(image("ami-00000001", "web-c", "2025-01-01T00:00:00.000Z").build())
                .put(image("ami-00000003", "web-a", "2025-05-01T00:00:00.000Z").build())
                .put(image("ami-00000004", "web-d", "2025-02-01T00:00:00.000Z").build());
        assertEquals(Map.of("us-east-1", "ami-00000003"), find("name: web-*\n").imageIdByRegion());
    }

    @Test
    void passesOverDeprecatedPendingAndDisabledImagesUnlessDeprecatedAreAskedFor() {
        cloud.region("us-east-1")
                .put(image("ami-00000001", "web-1", "2025-01-01T00:00:00Z").build())
                .put(image("ami-00000002", "web-2", "2025-02-01T00:00:00Z").deprecationTime("2025-05-01T00:00:00Z").build())
                .put(image("ami-00000003", "web-3", "2025-03-01T00:00:00Z").state(ImageState.PENDING).build())
                .put(image("ami-00000004", "web-4", "2025-04-01T00:00:00Z").state(ImageState.DISABLED).build())
                .put(image("ami-00000005", "web-5", "2025-04-02T00:00:00Z").deprecationTime("2025-07-01T00:00:00Z").build());
        assertEquals("ami-00000005", find("name: web-*\n").regions().get(0).imageId(), "deprecation still in the future");
        cloud.region("us-east-1").put(image("ami-00000005", "web-5", "2025-04-02T00:00:00Z").deprecationTime("2025-05-02T00:00:00Z").build());
        assertEquals("ami-00000001", find("name: web-*\n").regions().get(0).imageId());
        assertEquals("ami-00000005", find("name: web-*\nincludeDeprecated: true\n").regions().get(0).imageId());
    }

    @Test
    void ownImagesByDefaultOtherOwnersWhenAsked() {
        cloud.region("us-east-1").put(image("ami-00000001", "al2023-ami-1", "2025-01-01T00:00:00Z").ownerId("137112412989").build());
        assertFalse(find("name: al2023-ami-*\n").ok());
        LatestReport amazon = find("name: al2023-ami-*\nowners: [137112412989]\n");
        assertEquals("ami-00000001", amazon.regions().get(0).imageId());
        assertEquals("137112412989", amazon.regions().get(0).ownerId());
    }

    @Test
    void aFailingRegionIsReportedAndTheOthersAnswered() {
        cloud.region("eu-west-1").put(image("ami-00000001", "web-1", "2025-01-01T00:00:00Z").build());
        int[] n = {0};
        cloud.failOn("describeImages", q -> n[0]++ == 0 ? FakeCloud.ec2Error("UnauthorizedOperation", "denied") : null);
        LatestReport r = find("name: web-*\nregions: [us-east-1, eu-west-1]\n");
        assertEquals("UnauthorizedOperation: denied", r.regions().get(0).error());
        assertNull(r.regions().get(0).imageId());
        assertEquals("ami-00000001", r.regions().get(1).imageId());
        assertTrue(r.toJson().contains("\"error\" : \"UnauthorizedOperation: denied\""), r.toJson());
    }

    @Test
    void badInputIsNamed() {
        assertEquals("latest:1: owners: 'me' is not an owner (self, amazon, aws-marketplace or a 12-digit account id)",
                assertThrows(InputException.class, () -> find("owners: me\nname: x\n")).getMessage());
        assertEquals("latest:1: name: give a name glob or tags to select images",
                assertThrows(InputException.class, () -> find("regions: [us-east-1]\n")).getMessage());
        assertTrue(cloud.log().calls().isEmpty());
    }

    @Test
    void anInterruptIsNotReportedAsThatRegionsFailure() {
        cloud.region("us-east-1").put(image("ami-00000001", "web-1", "2025-01-01T00:00:00Z").build());
        cloud.failOn("describeImages", req -> io.amifactory.engine.testkit.FakeErrors.interrupted());
        assertThrows(io.amifactory.engine.aws.AwsInterruptedException.class, () -> find("name: web-*\n"));
        assertTrue(Thread.interrupted());
    }
}
