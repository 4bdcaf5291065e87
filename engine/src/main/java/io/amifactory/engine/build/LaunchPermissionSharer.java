package io.amifactory.engine.build;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.build.spec.BuildSpec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/**
 * Adds launch permissions (accounts, organizations, OUs) with ModifyImageAttribute, and create-volume
 * permissions on the snapshots for accounts when asked. Adding what is already there is harmless, so a
 * resumed build may call it again.
 */
public final class LaunchPermissionSharer implements ImageSharer {
    private final ClientSource clients;

    public LaunchPermissionSharer(ClientSource clients) {
        this.clients = clients;
    }

    @Override
    public void share(String region, String imageId, List<String> snapshotIds, BuildSpec.Sharing sharing) {
        if (sharing.isEmpty()) {
            return;
        }
        Ec2Client ec2 = clients.ec2(region);
        List<LaunchPermission> add = new ArrayList<>();
        sharing.accounts().forEach(a -> add.add(LaunchPermission.builder().userId(a).build()));
        sharing.organizations().forEach(o -> add.add(LaunchPermission.builder().organizationArn(o).build()));
        sharing.organizationalUnits().forEach(o -> add.add(LaunchPermission.builder().organizationalUnitArn(o).build()));
        ec2.modifyImageAttribute(r -> r.imageId(imageId).launchPermission(p -> p.add(add)));
        if (sharing.snapshots() && !sharing.accounts().isEmpty()) {
            for (String snapshot : snapshotIds) {
                ec2.modifySnapshotAttribute(r -> r.snapshotId(snapshot).attribute("createVolumePermission")
                        .operationType("add").userIds(sharing.accounts()));
            }
        }
    }
}
