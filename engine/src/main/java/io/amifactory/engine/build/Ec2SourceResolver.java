package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.Resolution;
import io.amifactory.engine.track.Tracker;
import io.amifactory.engine.track.TrackedImage;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Resolves build sources: an AMI id is described; an SSM parameter or filters are resolved by the tracker
 * ({@link Tracker#current}), so that a build starts from exactly what the tracker calls current, and the AMI
 * is then described. A tracked image name is looked up in {@code trackedImages} (the tracker's configuration)
 * and resolved the same way.
 */
public final class Ec2SourceResolver implements SourceResolver {
    private final ClientSource clients;
    private final Function<String, Optional<TrackedImage>> trackedImages;

    /** Without tracked images: a tracked source fails with a message saying where they are configured. */
    public Ec2SourceResolver(ClientSource clients) {
        this(clients, name -> Optional.empty());
    }

    public Ec2SourceResolver(ClientSource clients, Function<String, Optional<TrackedImage>> trackedImages) {
        this.clients = clients;
        this.trackedImages = trackedImages;
    }

    @Override
    public ResolvedSource resolve(BuildSpec.Source source, String region) {
        if (source instanceof BuildSpec.ImageId id) {
            return ResolvedSource.of(describe(clients.ec2(region), id.id(), region), null, id.id());
        }
        if (source instanceof BuildSpec.Lookup lookup) {
            return resolve(clients, lookup.source(), region, null);
        }
        String name = ((BuildSpec.Tracked) source).name();
        TrackedImage tracked = trackedImages.apply(name).orElseThrow(() -> new SourceNotFoundException(
                "no tracked image named '" + name + "' is configured here (tracked images come from the tracker's "
                        + "configuration; give an AMI id, ssm:/path or filters instead)"));
        Resolution current = Tracker.current(clients, tracked, region);
        if (!current.ok()) {
            throw new SourceNotFoundException("tracked image '" + name + "' in " + region + ": " + current.error());
        }
        ClientSource as = clients.forRole(tracked.roleArn(), tracked.externalId());
        return ResolvedSource.of(describe(as.ec2(region), current.imageId(), region), tracked.name(), tracked.source().describe());
    }

    /** Asks the tracker what is current upstream, then reads the whole image (the build needs its disks). */
    private static ResolvedSource resolve(ClientSource clients, ImageSource source, String region, String tracked) {
        Resolution current = Tracker.current(clients,
                new TrackedImage(tracked == null ? "source" : tracked, source, List.of(region)), region);
        if (!current.ok()) {
            throw new SourceNotFoundException(source.describe() + " in " + region + ": " + current.error());
        }
        return ResolvedSource.of(describe(clients.ec2(region), current.imageId(), region), tracked, source.describe());
    }

    private static Image describe(Ec2Client ec2, String imageId, String region) {
        List<Image> found;
        try {
            found = ec2.describeImages(r -> r.imageIds(imageId).includeDeprecated(true)).images();
        } catch (Ec2Exception e) {
            if (AwsErrors.isNotFound(e)) {
                throw new SourceNotFoundException("the AMI " + imageId + " does not exist in " + region
                        + " or is not shared with this account");
            }
            throw e;
        }
        if (found.isEmpty()) {
            throw new SourceNotFoundException("the AMI " + imageId + " does not exist in " + region
                    + " or is not shared with this account");
        }
        Image image = found.get(0);
        if (image.stateAsString() != null && !image.stateAsString().equals("available")) {
            throw new SourceNotFoundException("the AMI " + imageId + " in " + region + " is " + image.stateAsString()
                    + ", not available");
        }
        return image;
    }
}
