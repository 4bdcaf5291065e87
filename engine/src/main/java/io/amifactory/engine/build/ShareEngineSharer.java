package io.amifactory.engine.build;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.share.Grantees;
import io.amifactory.engine.share.ImageLocator;
import io.amifactory.engine.share.ImageSharer;
import io.amifactory.engine.share.RegionShare;
import io.amifactory.engine.share.ShareReport;
import io.amifactory.engine.share.ShareRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shares a freshly built image through the share engine, so that a build shares exactly as
 * {@code amifactory share} and {@code amiShare} do: only what is missing is added (a resumed build may
 * share again), an AMI on the AWS-managed EBS key is refused, and warnings about customer keys reach
 * the build's log. AWS errors reach the build as they are, so that throttling is ridden out like in any
 * other phase; a refusal fails the build, whose cleanups then remove the image.
 */
public final class ShareEngineSharer implements BuildSharer {
    private final ImageSharer sharer;

    public ShareEngineSharer(ClientSource clients) {
        this.sharer = new ImageSharer(clients, ImageSharer.OnAwsError.THROW);
    }

    @Override
    public void share(String region, String imageId, List<String> snapshotIds, BuildSpec.Sharing sharing,
            ProgressListener progress) {
        if (sharing.isEmpty()) {
            return;
        }
        Grantees grantees = new Grantees(new HashSet<>(sharing.accounts()), new HashSet<>(sharing.organizations()),
                new HashSet<>(sharing.organizationalUnits()), false);
        ShareReport report = sharer.share(new ShareRequest(ImageLocator.byId(Map.of(region, imageId)), grantees,
                ShareRequest.Operation.ADD, sharing.snapshots(), false), progress);
        if (!report.ok()) {
            throw new IllegalStateException("sharing " + imageId + " in " + region + " failed: "
                    + report.failures().stream().map(RegionShare::error).collect(Collectors.joining("; ")));
        }
    }
}
