package io.amifactory.engine.build;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.image.ImageOrder;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.TrackedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Resolves build sources with EC2 and SSM: an AMI id is described, an SSM parameter is read and the AMI it
 * names described, filters pick the newest match ({@link ImageOrder}). A tracked image name is looked up in
 * {@code trackedImages} (the tracker's configuration) and its source resolved the same way, with its role.
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
        ClientSource as = clients.forRole(tracked.roleArn(), tracked.externalId());
        return resolve(as, tracked.source(), region, tracked.name());
    }

    private static ResolvedSource resolve(ClientSource clients, ImageSource source, String region, String tracked) {
        Ec2Client ec2 = clients.ec2(region);
        if (source instanceof ImageSource.Parameter p) {
            String value;
            try {
                value = clients.ssm(region).getParameter(r -> r.name(p.path())).parameter().value();
            } catch (ParameterNotFoundException e) {
                throw new SourceNotFoundException("the SSM parameter " + p.path() + " does not exist in " + region);
            }
            if (value == null || !value.trim().startsWith("ami-")) {
                throw new SourceNotFoundException("the SSM parameter " + p.path() + " in " + region
                        + " does not hold an AMI id");
            }
            return ResolvedSource.of(describe(ec2, value.trim(), region), tracked, source.describe());
        }
        ImageSource.Filters f = (ImageSource.Filters) source;
        List<Filter> filters = new ArrayList<>();
        f.filters().forEach((k, v) -> filters.add(Filter.builder().name(k).values(v).build()));
        DescribeImagesRequest.Builder req = DescribeImagesRequest.builder().filters(filters)
                .includeDeprecated(f.includeDeprecated());
        if (!f.owners().isEmpty()) {
            req.owners(f.owners());
        }
        List<Image> images = new ArrayList<>();
        ec2.describeImagesPaginator(req.build()).images().forEach(images::add);
        Image newest = ImageOrder.newest(images).orElseThrow(() -> new SourceNotFoundException(
                "no AMI in " + region + " matches " + f.describe()));
        return ResolvedSource.of(newest, tracked, source.describe());
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
