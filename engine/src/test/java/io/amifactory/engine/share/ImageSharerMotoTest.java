package io.amifactory.engine.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.testkit.MotoExtension;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;

/** Share and unshare through the real SDK against Moto; the result is read back with DescribeImageAttribute. */
@ExtendWith(MotoExtension.class)
class ImageSharerMotoTest {
    static final String R = "eu-west-1";
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";
    static final String OU = "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cdef3456";

    static Grantees launchPermissions(Ec2Client ec2, String imageId) {
        return Grantees.of(ec2.describeImageAttribute(r -> r.imageId(imageId).attribute(ImageAttributeName.LAUNCH_PERMISSION))
                .launchPermissions());
    }

    @Test
    void shareAndUnshareAreVisibleInDescribeImageAttribute(AwsClients aws) {
        Ec2Client ec2 = aws.ec2(R);
        String imageId = ec2.registerImage(r -> r.name("web-2025-06-01")).imageId();
        String snapshot = ec2.describeImages(r -> r.imageIds(imageId)).images().get(0).blockDeviceMappings().get(0).ebs().snapshotId();
        ImageSharer sharer = new ImageSharer(aws);

        ShareReport shared = sharer.share(ShareRequest.parse(InputNode.parse("share",
                "name: web-*\nregions: [" + R + "]\naccounts: [222222222222]\norgArns: [" + ORG + "]\nouArns: [" + OU + "]\n"
                        + "snapshots: true\n"), List.of()), ProgressListener.NONE);

        Grantees now = launchPermissions(ec2, imageId);
        assertEquals(Set.of("222222222222"), now.accounts());
        assertEquals(Set.of(ORG), now.organizationArns());
        assertEquals(Set.of(OU), now.organizationalUnitArns());
        assertEquals(now, shared.regions().get(0).launchPermissions(), "the report shows what EC2 says");
        assertEquals(List.of(CreateVolumePermission.builder().userId("222222222222").build()),
                ec2.describeSnapshotAttribute(r -> r.snapshotId(snapshot).attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION))
                        .createVolumePermissions());

        ShareReport again = sharer.share(ShareRequest.parse(InputNode.parse("share",
                "image: " + imageId + "\nregions: [" + R + "]\naccounts: [222222222222]\n"), List.of()), ProgressListener.NONE);
        assertEquals(RegionShare.Status.UNCHANGED, again.regions().get(0).status());

        sharer.share(ShareRequest.parse(InputNode.parse("unshare",
                "image: " + imageId + "\nregions: [" + R + "]\naccounts: [222222222222]\nouArns: [" + OU + "]\nsnapshots: true\n"
                        + "remove: true\n"), List.of()), ProgressListener.NONE);
        Grantees after = launchPermissions(ec2, imageId);
        assertEquals(Set.of(), after.accounts());
        assertEquals(Set.of(ORG), after.organizationArns());
        assertEquals(Set.of(), after.organizationalUnitArns());
        assertTrue(ec2.describeSnapshotAttribute(r -> r.snapshotId(snapshot).attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION))
                .createVolumePermissions().isEmpty());
    }
}
