package io.jenkins.plugins.amifactory.runners;

import hudson.model.Run;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildRecordStore;
import io.amifactory.engine.build.BuildResult;
import io.amifactory.engine.build.BuildServices;
import io.amifactory.engine.build.Ec2SourceResolver;
import io.amifactory.engine.build.ResolvedSource;
import io.amifactory.engine.track.LedgerEntry;
import io.amifactory.engine.track.TrackedImage;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.AwsIdentity;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import io.jenkins.plugins.amifactory.trigger.LedgerLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** What the {@code amiBuild} step and the freestyle build builder share around the engine's build machine. */
@Restricted(NoExternalUse.class)
public final class AmiBuilds {
    /** The longest wait between two polls of a build. Tests against an emulator, which answers at once, lower it. */
    public static volatile Duration maxPoll = Duration.ofMinutes(1);

    private AmiBuilds() {
    }

    /**
     * The engine's services, with tracked image names answered by the global configuration. A build reads a
     * tracked image as its own identity, with the image's own role if it has one, never the tracking role. A
     * source given as an AMI id that the poller last saw as a tracked image's current AMI (what a release hands
     * the job in AMI_ID) is that image's build too: the AMI gets its amifactory:tracked-image tag, the family
     * pruning counts it in.
     */
    public static BuildServices services(AwsClients clients, BuildRecordStore store) {
        Ec2SourceResolver ec2 = new Ec2SourceResolver(clients, AmiBuilds::trackedImage);
        return BuildServices.of(clients, store).withSources((source, region) -> {
            ResolvedSource resolved = ec2.resolve(source, region);
            return resolved.trackedImage() != null ? resolved
                    : trackedAs(region, resolved.imageId()).map(resolved::withTracked).orElse(resolved);
        });
    }

    /** The tracked image whose current AMI in {@code region} the poller last saw {@code imageId} to be. */
    private static Optional<String> trackedAs(String region, String imageId) {
        return LedgerLocation.open().snapshot().entrySet().stream()
                .filter(image -> {
                    LedgerEntry entry = image.getValue().get(region);
                    return entry != null && imageId.equals(entry.imageId());
                })
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst();
    }

    private static Optional<TrackedImage> trackedImage(String name) {
        for (TrackedImageConfig image : AmiFactoryConfiguration.get().getTrackedImages()) {
            if (image.getName().equals(name)) {
                return Optional.of(image.toEngine(new AwsIdentity()));
            }
        }
        return Optional.empty();
    }

    /** Provenance for the AMI's amifactory:built-by tag: the job and build number. */
    public static String builtBy(Run<?, ?> run) {
        return run.getParent().getFullName() + " #" + run.getNumber();
    }

    /** Why a build did not succeed, with whatever its cleanups could not remove. */
    public static String failure(BuildResult r) {
        StringBuilder b = new StringBuilder("AMI build ").append(r.name()).append(' ').append(r.status().label());
        if (r.failedPhase() != null) {
            b.append(" in phase ").append(r.failedPhase());
        }
        if (r.error() != null) {
            b.append(": ").append(r.error());
        }
        if (r.leftovers().isEmpty()) {
            b.append("; everything the build created was removed");
        } else {
            b.append("; LEFT BEHIND: ").append(String.join("; ", r.leftovers()));
        }
        return b.toString();
    }

    /**
     * The step's return value: name, buildId, status, region, imageId (the build region's AMI), images
     * (region to AMI id, build region first), sourceImage, imageName, warnings.
     */
    public static LinkedHashMap<String, Object> toMap(BuildResult r, String region) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("name", r.name());
        out.put("buildId", r.buildId());
        out.put("status", r.status().label());
        out.put("region", region);
        out.put("imageId", r.images().get(region));
        out.put("images", new LinkedHashMap<>(r.images()));
        out.put("sourceImage", r.sourceImage());
        out.put("imageName", r.imageName());
        out.put("warnings", new ArrayList<>(r.warnings()));
        return out;
    }
}
