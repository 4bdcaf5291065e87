package io.amifactory.cli;

import io.amifactory.engine.aws.RegionNames;
import io.amifactory.engine.track.TrackedImage;
import io.amifactory.engine.track.TrackedImagesFile;
import io.amifactory.engine.track.TrackedImagesLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What the commands that track images ({@code check}, {@code watch}) share: the tracked-images file, the state
 * file and {@code --region}, read and checked before anything is sent.
 */
public final class TrackingOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Tracked images, YAML or JSON (seed 004's tracked_images format or ours; docs/tracking.md).")
    Path config;

    @Option(names = "--state", paramLabel = "FILE",
            description = "State file. Default: ~/.amifactory/state.json (~/.amifactory/sandbox-state.json with --sandbox).")
    Path state;

    @Option(names = "--region", paramLabel = "R",
            description = "Check only these regions; also the regions of images that name none. Repeatable.")
    List<String> regions = new ArrayList<>();

    /** The images to check and the regions for those that name none. */
    record Plan(List<TrackedImage> images, List<String> defaultRegions) {
    }

    /** Reads the file and checks {@code --region}: exit 2 on a mistake, nothing sent. */
    TrackedImagesFile load() {
        TrackedImagesFile file = TrackedImagesLoader.load(config);
        for (String r : regions) {
            String problem = RegionNames.problem(r);
            if (problem != null) {
                throw new UsageException("--region: " + problem);
            }
        }
        return file;
    }

    /**
     * The images and default regions after {@code --region}; an image left with no region is a usage error. Reads
     * the AWS configuration's region but sends nothing.
     */
    Plan plan(TrackedImagesFile file, AwsOptions aws) {
        List<String> defaults = file.defaultRegions().isEmpty() ? aws.defaultRegions(regions) : file.defaultRegions();
        List<TrackedImage> images = restrictToRegions(file.images());
        if (!regions.isEmpty()) {
            defaults = defaults.stream().filter(regions::contains).toList();
        }
        for (TrackedImage image : images) {
            if (image.regions().isEmpty() && defaults.isEmpty()) {
                throw new UsageException("no region for tracked image '" + image.name() + "': list regions in "
                        + config + ", pass --region, or set AWS_REGION / a profile region");
            }
        }
        return new Plan(images, defaults);
    }

    /** With --region, an image that lists regions is checked only in those it shares with --region. */
    private List<TrackedImage> restrictToRegions(List<TrackedImage> images) {
        if (regions.isEmpty()) {
            return images;
        }
        List<TrackedImage> out = new ArrayList<>();
        for (TrackedImage i : images) {
            if (i.regions().isEmpty()) {
                out.add(i);
                continue;
            }
            List<String> kept = i.regions().stream().filter(regions::contains).toList();
            if (!kept.isEmpty()) {
                out.add(i.withRegions(kept));
            }
        }
        return out;
    }

    Path stateFile(AwsOptions aws) {
        if (state != null) {
            return state;
        }
        return Path.of(System.getProperty("user.home"), ".amifactory",
                aws.sandbox() ? "sandbox-state.json" : "state.json");
    }
}
