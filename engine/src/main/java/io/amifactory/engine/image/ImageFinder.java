package io.amifactory.engine.image;

import io.amifactory.engine.aws.AwsErrors;
import io.amifactory.engine.aws.ClientSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;

/**
 * Finds AMIs by {@link ImageQuery} in one region, reading every page of DescribeImages. "Newest" is
 * always {@link ImageOrder#NEWEST_FIRST}.
 */
public final class ImageFinder {
    /** DescribeImages allows up to 1000 per page; fewer pages means fewer throttled calls. */
    private static final int PAGE_SIZE = 1000;

    private final ClientSource clients;

    public ImageFinder(ClientSource clients) {
        this.clients = clients;
    }

    /**
     * Hands every matching image to {@code each}, page by page, so that a caller that keeps only a few
     * fields never holds all SDK objects at once. {@code includeDisabled} adds disabled images (which
     * DescribeImages leaves out by default); deprecated images of your own are always included.
     */
    public void forEach(String region, ImageQuery query, boolean includeDisabled, Consumer<Image> each) {
        DescribeImagesRequest.Builder request = DescribeImagesRequest.builder()
                .owners(query.owners())
                .filters(query.filters())
                .includeDeprecated(true)
                .maxResults(PAGE_SIZE);
        if (includeDisabled) {
            request.includeDisabled(true);
        }
        for (DescribeImagesResponse page : clients.ec2(region).describeImagesPaginator(request.build())) {
            page.images().forEach(each);
        }
    }

    /** Every matching image (disabled ones excluded). */
    public List<Image> list(String region, ImageQuery query) {
        List<Image> out = new ArrayList<>();
        forEach(region, query, false, out::add);
        return out;
    }

    /**
     * The newest image that can be launched now: state {@code available} and, unless
     * {@code includeDeprecated}, not deprecated at {@code now}.
     */
    public Optional<Image> newest(String region, ImageQuery query, Instant now, boolean includeDeprecated) {
        List<Image> usable = new ArrayList<>();
        forEach(region, query, false, image -> {
            if (isLaunchable(image, now, includeDeprecated)) {
                usable.add(image);
            }
        });
        return ImageOrder.newest(usable);
    }

    /** One image by id, only if it is owned by the caller; empty if it does not exist or is not ours. */
    public Optional<Image> ownImage(String region, String imageId) {
        try {
            List<Image> found = clients.ec2(region).describeImages(r -> r.imageIds(imageId).owners(ImageQuery.SELF)
                    .includeDeprecated(true).includeDisabled(true)).images();
            return found.stream().filter(i -> imageId.equals(i.imageId())).findFirst();
        } catch (Ec2Exception e) {
            String code = AwsErrors.code(e);
            if (code != null && code.startsWith("InvalidAMIID")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static boolean isLaunchable(Image image, Instant now, boolean includeDeprecated) {
        if (image.state() != ImageState.AVAILABLE) {
            return false;
        }
        if (includeDeprecated) {
            return true;
        }
        Instant deprecation = deprecationInstant(image);
        return deprecation == null || deprecation.isAfter(now);
    }

    /** When the image is (or was) deprecated, or null if it is not scheduled for deprecation. */
    public static Instant deprecationInstant(Image image) {
        String t = image.deprecationTime();
        return t == null || t.isBlank() ? null : ImageOrder.creationInstant(t);
    }
}
