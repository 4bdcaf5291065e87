package io.amifactory.engine.latest;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.image.ImageFinder;
import io.amifactory.engine.progress.ProgressListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Answers "which is the newest image like this" in each region (what seed 002's CloudFormation custom
 * resource did from its DynamoDB table, here straight from EC2). A region that fails is reported and
 * the others are still answered.
 */
public final class LatestFinder {
    private final ImageFinder finder;
    private final Clock clock;

    public LatestFinder(ClientSource clients) {
        this(clients, Clock.systemUTC());
    }

    public LatestFinder(ClientSource clients, Clock clock) {
        this.finder = new ImageFinder(clients);
        this.clock = clock;
    }

    public LatestReport find(LatestRequest request, ProgressListener progress) {
        List<LatestImage> out = new ArrayList<>();
        for (String region : request.regions()) {
            try {
                Optional<Image> newest = finder.newest(region, request.query(), clock.instant(), request.includeDeprecated());
                if (newest.isPresent()) {
                    Image i = newest.get();
                    out.add(new LatestImage(region, i.imageId(), i.name(), i.creationDate(), i.ownerId(), null));
                } else {
                    progress.warn(region + ": no available image matches " + request.query().describe());
                    out.add(LatestImage.notFound(region));
                }
            } catch (SdkException e) {
                AwsErrors.throwIfInterruption(e, "finding the latest image in " + region);
                progress.warn(region + ": " + AwsErrors.describe(e));
                out.add(LatestImage.failed(region, AwsErrors.describe(e)));
            }
        }
        return new LatestReport(out);
    }
}
