package io.amifactory.engine.build.spec;

import io.amifactory.engine.track.ImageSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One AMI to build, validated: every value has the shape AWS accepts (see {@link SpecRules}); only what
 * depends on AWS (does the source exist, is the name free) is checked later, still before anything is
 * created. Read with {@link BuildSpecReader}.
 *
 * @param name       unique within the spec; used in build ids, progress lines and {@code --only}
 * @param imageName  AMI name template ({@link Placeholders#FOR_IMAGE_NAME})
 * @param publish    SSM parameter path templates the new AMI id is written to, in every region
 * @param dryRun     the spec itself asks for a dry run
 */
public record BuildSpec(
        String name,
        String region,
        String imageName,
        Source source,
        Customisation customisation,
        Instance instance,
        Image image,
        List<Copy> copies,
        Sharing share,
        List<String> publish,
        Duration timeout,
        boolean dryRun) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);

    public BuildSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(imageName, "imageName");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(customisation, "customisation");
        instance = instance == null ? Instance.DEFAULT : instance;
        image = image == null ? Image.DEFAULT : image;
        copies = copies == null ? List.of() : List.copyOf(copies);
        share = share == null ? Sharing.NONE : share;
        publish = publish == null ? List.of() : List.copyOf(publish);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** Build region first, then the copy regions in spec order. */
    public List<String> regions() {
        java.util.List<String> r = new java.util.ArrayList<>();
        r.add(region);
        copies.forEach(c -> r.add(c.region()));
        return r;
    }

    public BuildSpec withDryRun(boolean dry) {
        return new BuildSpec(name, region, imageName, source, customisation, instance, image, copies, share, publish,
                timeout, dry);
    }

    /** Where the source AMI comes from. */
    public sealed interface Source permits ImageId, Lookup, Tracked {
        String describe();
    }

    /** A fixed AMI id. */
    public record ImageId(String id) implements Source {
        @Override
        public String describe() {
            return id;
        }
    }

    /** An SSM parameter (ssm:/path) or DescribeImages filters (newest match). */
    public record Lookup(ImageSource source) implements Source {
        @Override
        public String describe() {
            return source.describe();
        }
    }

    /** A tracked image by name: its current AMI, as the tracker sees it. */
    public record Tracked(String name) implements Source {
        @Override
        public String describe() {
            return "tracked image " + name;
        }
    }

    /** How the build knows the customisation finished when it runs from user data. */
    public enum Completion {
        /** The wrapper's exit-status marker on the serial console (default). */
        MARKER,
        /** The instance stopping counts as success when no marker is seen (a non-zero marker still fails). */
        STOP
    }

    /** What is done to the instance. Exactly one kind per build. */
    public sealed interface Customisation permits UserData, BootstrapUrl, SsmCommand, Automation {
        String describe();
    }

    /** A script run at first boot through user data, wrapped so that it reports its exit status. */
    public record UserData(String script, String origin, Completion completion) implements Customisation {
        @Override
        public String describe() {
            return origin + " (" + script.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes, not shown)";
        }

        /** Never prints the script: user data may hold secrets. */
        @Override
        public String toString() {
            return "UserData[" + describe() + ", completion=" + completion + "]";
        }
    }

    /** A script the instance downloads (https:// or s3://) and runs, wrapped like {@link UserData}. */
    public record BootstrapUrl(String url, Completion completion) implements Customisation {
        @Override
        public String describe() {
            return "bootstrap script " + url;
        }
    }

    /** A script run by SSM Run Command on the instance (needs an instance profile with SSM permissions). */
    public record SsmCommand(String script, String document) implements Customisation {
        public static final String LINUX_DOCUMENT = "AWS-RunShellScript";
        public static final String WINDOWS_DOCUMENT = "AWS-RunPowerShellScript";

        @Override
        public String describe() {
            return "SSM Run Command " + document + " (" + script.lines().count() + " lines, not shown)";
        }

        @Override
        public String toString() {
            return "SsmCommand[" + describe() + "]";
        }
    }

    /**
     * An SSM Automation document that creates the AMI itself (AWS-UpdateLinuxAmi, or seed 001's documents).
     *
     * @param parameters    explicit document parameters (templates); well-known ones are filled in when absent
     * @param imageIdOutput the output that carries the new AMI id, e.g. {@code CreateImage.ImageId}; null = the
     *                      first AMI id among the outputs
     * @param bootstrapUrl  passed as the document's {@code PreUpdateScript} (seed 001's meaning of bootstrapUrl)
     */
    public record Automation(String document, Map<String, List<String>> parameters, String assumeRole,
            String imageIdOutput, String bootstrapUrl) implements Customisation {
        public Automation {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        @Override
        public String describe() {
            return "SSM Automation " + document;
        }

        /** Parameter values may be secrets; only their names are shown. */
        @Override
        public String toString() {
            return "Automation[" + document + ", parameters=" + new java.util.TreeSet<>(parameters.keySet()) + "]";
        }
    }

    /**
     * The build instance.
     *
     * @param type           null = t3.small for x86_64 sources, t4g.small for arm64
     * @param imdsV2Required require IMDSv2 tokens (default true)
     */
    public record Instance(String type, String subnet, List<String> securityGroups, String profile, String keyPair,
            Integer rootVolumeSize, String rootVolumeType, boolean imdsV2Required, Map<String, String> tags) {
        public static final Instance DEFAULT = new Instance(null, null, List.of(), null, null, null, null, true, Map.of());

        public Instance {
            securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
            tags = tags == null ? Map.of() : orderedCopy(tags);
        }
    }

    /**
     * The image.
     *
     * @param description   template; null = "Built by AMI Factory from {source.id} ({source.name})"
     * @param deprecateAfter null = never
     */
    public record Image(String description, Map<String, String> tags, Map<String, String> snapshotTags,
            boolean encrypted, String kmsKey, boolean noReboot, Duration deprecateAfter) {
        public static final Image DEFAULT = new Image(null, Map.of(), Map.of(), false, null, false, null);
        public static final String DEFAULT_DESCRIPTION = "Built by AMI Factory from {source.id} ({source.name})";

        public Image {
            tags = tags == null ? Map.of() : orderedCopy(tags);
            snapshotTags = snapshotTags == null ? Map.of() : orderedCopy(snapshotTags);
        }
    }

    /** A copy of the image in another region, optionally encrypted with that region's key. */
    public record Copy(String region, String kmsKey) {
    }

    /** Launch permissions for the image in every region (and create-volume permission on its snapshots). */
    public record Sharing(List<String> accounts, List<String> organizations, List<String> organizationalUnits,
            boolean snapshots) {
        public static final Sharing NONE = new Sharing(List.of(), List.of(), List.of(), false);

        public Sharing {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
            organizations = organizations == null ? List.of() : List.copyOf(organizations);
            organizationalUnits = organizationalUnits == null ? List.of() : List.copyOf(organizationalUnits);
        }

        public boolean isEmpty() {
            return accounts.isEmpty() && organizations.isEmpty() && organizationalUnits.isEmpty();
        }
    }

    private static Map<String, String> orderedCopy(Map<String, String> m) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }
}
