package io.amifactory.engine.image;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.testkit.CallLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeLaunchConfigurationsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeLaunchConfigurationsResponse;
import software.amazon.awssdk.services.autoscaling.model.LaunchConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.ec2.model.DeleteTagsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteTagsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.DeregisterImageRequest;
import software.amazon.awssdk.services.ec2.model.DeregisterImageResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.DisableImageRequest;
import software.amazon.awssdk.services.ec2.model.DisableImageResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationRequest;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceState;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ModifyImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.ModifySnapshotAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifySnapshotAttributeResponse;
import software.amazon.awssdk.services.ec2.model.OperationType;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeParametersRequest;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;

/**
 * An in-memory AWS account for unit tests and benchmarks: images, snapshots, instances, launch
 * templates, auto scaling groups, launch configurations, SSM parameters and KMS keys, per region.
 * Lists are paginated with a small page size (so that "reads every page" is tested), every call is
 * recorded in {@link #log()}, and any operation can be made to fail with {@link #failOn}.
 * Thread-safe. Covers what Moto lacks: EnableImageDeprecation, DisableImage, deprecation times,
 * encrypted snapshots and KMS key managers.
 */
public final class FakeCloud implements ClientSource {
    public static final String ACCOUNT = "111111111111";

    private final CallLog log = new CallLog();
    private final Map<String, Region> regions = new ConcurrentHashMap<>();
    private final Map<String, Function<Object, RuntimeException>> failures = new ConcurrentHashMap<>();
    private volatile int pageSize = 2;

    public CallLog log() {
        return log;
    }

    /** Items per page of every list call (default 2, to exercise pagination). */
    public FakeCloud pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** The state of one region, created on first use. */
    public Region region(String name) {
        return regions.computeIfAbsent(name, Region::new);
    }

    /**
     * Makes {@code operation} (e.g. "deregisterImage") fail when {@code failure} returns an exception
     * for the request; returning null lets the call through.
     */
    public FakeCloud failOn(String operation, Function<Object, RuntimeException> failure) {
        failures.put(operation, failure);
        return this;
    }

    public static Ec2Exception ec2Error(String code, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(code + ": " + message).build();
    }

    /** An available image of this account with one EBS snapshot {@code snap-<id suffix>}. */
    public static Image.Builder image(String id, String name, String created) {
        return Image.builder().imageId(id).name(name).creationDate(created).ownerId(ACCOUNT).state(ImageState.AVAILABLE)
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/xvda")
                        .ebs(EbsBlockDevice.builder().snapshotId("snap-" + id.substring(4)).build()).build());
    }

    public static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private void call(String operation, Object request) {
        log.record(operation);
        Function<Object, RuntimeException> f = failures.get(operation);
        if (f != null) {
            RuntimeException e = f.apply(request);
            if (e != null) {
                throw e;
            }
        }
    }

    private <T> Page<T> page(List<T> all, String token) {
        int from = token == null ? 0 : Integer.parseInt(token);
        int to = Math.min(all.size(), from + pageSize);
        return new Page<>(new ArrayList<>(all.subList(from, to)), to < all.size() ? String.valueOf(to) : null);
    }

    private record Page<T>(List<T> items, String next) {
    }

    @Override
    public Ec2Client ec2(String region) {
        return new FakeEc2(region(region));
    }

    @Override
    public SsmClient ssm(String region) {
        return new FakeSsm(region(region));
    }

    @Override
    public AutoScalingClient autoScaling(String region) {
        return new FakeAutoScaling(region(region));
    }

    @Override
    public KmsClient kms(String region) {
        return new FakeKms(region(region));
    }

    @Override
    public ClientSource forRole(String roleArn, String externalId) {
        return this;
    }

    // ------------------------------------------------------------------ state

    /** One region's resources. Tests add to it directly; the fake clients read and change it. */
    public static final class Region {
        final String name;
        final Map<String, Image> images = new LinkedHashMap<>();
        final Map<String, Set<LaunchPermission>> launchPermissions = new HashMap<>();
        final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
        final Map<String, Set<String>> snapshotUsers = new HashMap<>();
        final List<Instance> instances = new ArrayList<>();
        final Map<String, LaunchTemplate> templates = new LinkedHashMap<>();
        final Map<String, List<LaunchTemplateVersion>> versions = new HashMap<>();
        final List<AutoScalingGroup> groups = new ArrayList<>();
        final List<LaunchConfiguration> configurations = new ArrayList<>();
        final Map<String, String> parameters = new LinkedHashMap<>();
        final Map<String, Map<String, String>> parameterTags = new HashMap<>();
        final Map<String, KeyManagerType> keys = new HashMap<>();
        final Set<String> deletedSnapshots = new LinkedHashSet<>();
        /** Bumped on every change; guards the cached listing below. */
        long version;
        private Object lastQuery;
        private List<?> lastMatches;
        private long lastVersion = -1;

        /**
         * The matches of a listing: computed for its first page, reused for the next pages of the same
         * query (as long as nothing changed), so that listing 100,000 items in pages stays linear.
         */
        @SuppressWarnings("unchecked")
        synchronized <T> List<T> listing(Object query, String nextToken, java.util.function.Supplier<List<T>> compute) {
            if (nextToken == null || !query.equals(lastQuery) || lastVersion != version) {
                lastMatches = compute.get();
                lastQuery = query;
                lastVersion = version;
            }
            return (List<T>) lastMatches;
        }

        Region(String name) {
            this.name = name;
        }

        /** Adds an image and, unless present, its snapshots (unencrypted). */
        public synchronized Region put(Image image) {
            version++;
            images.put(image.imageId(), image);
            for (BlockDeviceMapping m : image.blockDeviceMappings()) {
                if (m.ebs() != null && m.ebs().snapshotId() != null) {
                    snapshots.putIfAbsent(m.ebs().snapshotId(), Snapshot.builder().snapshotId(m.ebs().snapshotId())
                            .ownerId(ACCOUNT).encrypted(false).build());
                }
            }
            return this;
        }

        public synchronized Region putSnapshot(Snapshot snapshot) {
            snapshots.put(snapshot.snapshotId(), snapshot);
            return this;
        }

        public synchronized Region key(String keyArn, KeyManagerType manager) {
            keys.put(keyArn, manager);
            return this;
        }

        public synchronized Region instance(String id, String imageId, String state) {
            version++;
            instances.add(Instance.builder().instanceId(id).imageId(imageId)
                    .state(InstanceState.builder().name(state).build()).build());
            return this;
        }

        /** A launch template whose versions 1..n launch the given images ($Default = 1, $Latest = n). */
        public synchronized Region template(String id, String name, String... imageIdsByVersion) {
            List<LaunchTemplateVersion> list = new ArrayList<>();
            for (int i = 0; i < imageIdsByVersion.length; i++) {
                String image = imageIdsByVersion[i];
                list.add(LaunchTemplateVersion.builder().launchTemplateId(id).launchTemplateName(name).versionNumber((long) i + 1)
                        .defaultVersion(i == 0)
                        .launchTemplateData(ResponseLaunchTemplateData.builder().imageId(image).userData("c2VjcmV0").build())
                        .build());
            }
            templates.put(id, LaunchTemplate.builder().launchTemplateId(id).launchTemplateName(name)
                    .defaultVersionNumber(1L).latestVersionNumber((long) imageIdsByVersion.length).build());
            versions.put(id, list);
            return this;
        }

        public synchronized Region group(AutoScalingGroup group) {
            groups.add(group);
            return this;
        }

        public synchronized Region launchConfiguration(String name, String imageId) {
            configurations.add(LaunchConfiguration.builder().launchConfigurationName(name).imageId(imageId).build());
            return this;
        }

        public synchronized Region parameter(String name, String value, Map<String, String> tags) {
            parameters.put(name, value);
            parameterTags.put(name, Map.copyOf(tags));
            return this;
        }

        public synchronized Region grant(String imageId, LaunchPermission permission) {
            launchPermissions.computeIfAbsent(imageId, k -> new LinkedHashSet<>()).add(permission);
            return this;
        }

        public synchronized Image image(String id) {
            return images.get(id);
        }

        public synchronized Set<String> imageIds() {
            return new LinkedHashSet<>(images.keySet());
        }

        public synchronized Set<LaunchPermission> launchPermissions(String imageId) {
            return new LinkedHashSet<>(launchPermissions.getOrDefault(imageId, Set.of()));
        }

        public synchronized Set<String> snapshotUsers(String snapshotId) {
            return new LinkedHashSet<>(snapshotUsers.getOrDefault(snapshotId, Set.of()));
        }

        public synchronized Snapshot snapshot(String id) {
            return snapshots.get(id);
        }

        /** Takes an image away behind the pruner's back (another tool, or an earlier run that died). */
        public synchronized Region remove(String imageId) {
            images.remove(imageId);
            version++;
            return this;
        }

        public synchronized Set<String> snapshotIds() {
            return new LinkedHashSet<>(snapshots.keySet());
        }
    }

    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    static boolean glob(String pattern, String value) {
        if (value == null) {
            return false;
        }
        return GLOBS.computeIfAbsent(pattern, p -> {
            StringBuilder re = new StringBuilder();
            for (char c : p.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return Pattern.compile(re.toString());
        }).matcher(value).matches();
    }

    // ------------------------------------------------------------------ EC2

    private final class FakeEc2 implements Ec2Client {
        private final Region r;

        FakeEc2(Region r) {
            this.r = r;
        }

        @Override
        public DescribeImagesResponse describeImages(DescribeImagesRequest q) {
            call("describeImages", q);
            List<Image> matches = r.listing(q.toBuilder().nextToken(null).build(), q.nextToken(), () -> {
                List<Image> out = new ArrayList<>();
                for (Image i : r.images.values()) {
                    if (matchesImage(q, i)) {
                        out.add(i);
                    }
                }
                return out;
            });
            if (q.hasImageIds()) {
                return DescribeImagesResponse.builder().images(matches).build();
            }
            Page<Image> p = page(matches, q.nextToken());
            return DescribeImagesResponse.builder().images(p.items()).nextToken(p.next()).build();
        }

        private boolean matchesImage(DescribeImagesRequest q, Image i) {
            if (q.hasImageIds() && !q.imageIds().contains(i.imageId())) {
                return false;
            }
            if (q.hasOwners() && !q.owners().isEmpty()
                    && q.owners().stream().noneMatch(o -> o.equals(i.ownerId()) || ("self".equals(o) && ACCOUNT.equals(i.ownerId())))) {
                return false;
            }
            if (i.state() == ImageState.DISABLED && !Boolean.TRUE.equals(q.includeDisabled())) {
                return false;
            }
            for (Filter f : q.filters()) {
                String value;
                if (f.name().equals("name")) {
                    value = i.name();
                } else if (f.name().equals("image-id")) {
                    value = i.imageId();
                } else if (f.name().startsWith("tag:")) {
                    String key = f.name().substring(4);
                    value = i.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
                } else {
                    throw new UnsupportedOperationException("filter " + f.name());
                }
                if (f.values().stream().noneMatch(v -> glob(v, value))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public DescribeImageAttributeResponse describeImageAttribute(DescribeImageAttributeRequest q) {
            call("describeImageAttribute", q);
            synchronized (r) {
                requireImage(q.imageId());
                return DescribeImageAttributeResponse.builder().imageId(q.imageId())
                        .launchPermissions(new ArrayList<>(r.launchPermissions.getOrDefault(q.imageId(), Set.of()))).build();
            }
        }

        @Override
        public ModifyImageAttributeResponse modifyImageAttribute(ModifyImageAttributeRequest q) {
            call("modifyImageAttribute", q);
            synchronized (r) {
                requireImage(q.imageId());
                Set<LaunchPermission> set = r.launchPermissions.computeIfAbsent(q.imageId(), k -> new LinkedHashSet<>());
                if (q.launchPermission() != null) {
                    set.addAll(q.launchPermission().add());
                    q.launchPermission().remove().forEach(set::remove);
                }
            }
            return ModifyImageAttributeResponse.builder().build();
        }

        private void requireImage(String id) {
            if (!r.images.containsKey(id)) {
                throw ec2Error("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
            }
        }

        @Override
        public DescribeSnapshotsResponse describeSnapshots(DescribeSnapshotsRequest q) {
            call("describeSnapshots", q);
            synchronized (r) {
                List<Snapshot> out = new ArrayList<>();
                for (String id : q.snapshotIds()) {
                    Snapshot s = r.snapshots.get(id);
                    if (s == null) {
                        throw ec2Error("InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
                    }
                    out.add(s);
                }
                if (!q.hasSnapshotIds()) {
                    out.addAll(r.snapshots.values());
                }
                for (Filter f : q.filters()) {
                    if (!f.name().equals("tag-key")) {
                        throw new UnsupportedOperationException("filter " + f.name());
                    }
                    out.removeIf(s -> s.tags().stream().noneMatch(t -> f.values().contains(t.key())));
                }
                return DescribeSnapshotsResponse.builder().snapshots(out).build();
            }
        }

        @Override
        public DescribeSnapshotAttributeResponse describeSnapshotAttribute(DescribeSnapshotAttributeRequest q) {
            call("describeSnapshotAttribute", q);
            synchronized (r) {
                List<CreateVolumePermission> out = new ArrayList<>();
                r.snapshotUsers.getOrDefault(q.snapshotId(), Set.of())
                        .forEach(u -> out.add(CreateVolumePermission.builder().userId(u).build()));
                return DescribeSnapshotAttributeResponse.builder().snapshotId(q.snapshotId()).createVolumePermissions(out).build();
            }
        }

        @Override
        public ModifySnapshotAttributeResponse modifySnapshotAttribute(ModifySnapshotAttributeRequest q) {
            call("modifySnapshotAttribute", q);
            synchronized (r) {
                Set<String> users = r.snapshotUsers.computeIfAbsent(q.snapshotId(), k -> new LinkedHashSet<>());
                if (q.operationType() == OperationType.ADD) {
                    users.addAll(q.userIds());
                } else {
                    users.removeAll(q.userIds());
                }
            }
            return ModifySnapshotAttributeResponse.builder().build();
        }

        @Override
        public CreateTagsResponse createTags(CreateTagsRequest q) {
            call("createTags", q);
            synchronized (r) {
                for (String id : q.resources()) {
                    Snapshot s = r.snapshots.get(id);
                    if (s == null) {
                        throw new UnsupportedOperationException("tags on " + id + " (the fake tags snapshots only)");
                    }
                    List<Tag> tags = new ArrayList<>(s.tags());
                    for (Tag t : q.tags()) {
                        tags.removeIf(old -> old.key().equals(t.key()));
                        tags.add(t);
                    }
                    r.snapshots.put(id, s.toBuilder().tags(tags).build());
                }
            }
            return CreateTagsResponse.builder().build();
        }

        @Override
        public DeleteTagsResponse deleteTags(DeleteTagsRequest q) {
            call("deleteTags", q);
            synchronized (r) {
                for (String id : q.resources()) {
                    Snapshot s = r.snapshots.get(id);
                    if (s != null) {
                        List<Tag> tags = new ArrayList<>(s.tags());
                        q.tags().forEach(t -> tags.removeIf(old -> old.key().equals(t.key())));
                        r.snapshots.put(id, s.toBuilder().tags(tags).build());
                    }
                }
            }
            return DeleteTagsResponse.builder().build();
        }

        @Override
        public DeregisterImageResponse deregisterImage(DeregisterImageRequest q) {
            call("deregisterImage", q);
            synchronized (r) {
                requireImage(q.imageId());
                r.images.remove(q.imageId());
                r.version++;
                r.launchPermissions.remove(q.imageId());
            }
            return DeregisterImageResponse.builder().build();
        }

        @Override
        public DeleteSnapshotResponse deleteSnapshot(DeleteSnapshotRequest q) {
            call("deleteSnapshot", q);
            synchronized (r) {
                if (!r.snapshots.containsKey(q.snapshotId())) {
                    throw ec2Error("InvalidSnapshot.NotFound", "The snapshot '" + q.snapshotId() + "' does not exist.");
                }
                for (Image i : r.images.values()) {
                    for (BlockDeviceMapping m : i.blockDeviceMappings()) {
                        if (m.ebs() != null && q.snapshotId().equals(m.ebs().snapshotId())) {
                            throw ec2Error("InvalidSnapshot.InUse", "The snapshot " + q.snapshotId()
                                    + " is currently in use by " + i.imageId());
                        }
                    }
                }
                r.snapshots.remove(q.snapshotId());
                r.deletedSnapshots.add(q.snapshotId());
            }
            return DeleteSnapshotResponse.builder().build();
        }

        @Override
        public EnableImageDeprecationResponse enableImageDeprecation(EnableImageDeprecationRequest q) {
            call("enableImageDeprecation", q);
            synchronized (r) {
                requireImage(q.imageId());
                Image i = r.images.get(q.imageId());
                r.images.put(i.imageId(), i.toBuilder().deprecationTime(q.deprecateAt().toString()).build());
                r.version++;
            }
            return EnableImageDeprecationResponse.builder().returnValue(true).build();
        }

        @Override
        public DisableImageResponse disableImage(DisableImageRequest q) {
            call("disableImage", q);
            synchronized (r) {
                requireImage(q.imageId());
                Image i = r.images.get(q.imageId());
                r.images.put(i.imageId(), i.toBuilder().state(ImageState.DISABLED).build());
                r.version++;
            }
            return DisableImageResponse.builder().returnValue(true).build();
        }

        @Override
        public DescribeInstancesResponse describeInstances(DescribeInstancesRequest q) {
            call("describeInstances", q);
            Set<String> states = new LinkedHashSet<>();
            for (Filter f : q.filters()) {
                if (!f.name().equals("instance-state-name")) {
                    throw new UnsupportedOperationException("filter " + f.name());
                }
                states.addAll(f.values());
            }
            List<Instance> matches = r.listing(q.toBuilder().nextToken(null).build(), q.nextToken(), () -> {
                List<Instance> out = new ArrayList<>();
                for (Instance i : r.instances) {
                    if (states.isEmpty() || states.contains(i.state().nameAsString())) {
                        out.add(i);
                    }
                }
                return out;
            });
            Page<Instance> p = page(matches, q.nextToken());
            List<Reservation> reservations = new ArrayList<>();
            p.items().forEach(i -> reservations.add(Reservation.builder().instances(i).build()));
            return DescribeInstancesResponse.builder().reservations(reservations).nextToken(p.next()).build();
        }

        @Override
        public DescribeLaunchTemplatesResponse describeLaunchTemplates(DescribeLaunchTemplatesRequest q) {
            call("describeLaunchTemplates", q);
            List<LaunchTemplate> all;
            synchronized (r) {
                all = new ArrayList<>(r.templates.values());
            }
            Page<LaunchTemplate> p = page(all, q.nextToken());
            return DescribeLaunchTemplatesResponse.builder().launchTemplates(p.items()).nextToken(p.next()).build();
        }

        @Override
        public DescribeLaunchTemplateVersionsResponse describeLaunchTemplateVersions(DescribeLaunchTemplateVersionsRequest q) {
            call("describeLaunchTemplateVersions", q);
            if (q.launchTemplateId() == null) {
                throw new UnsupportedOperationException("the fake answers per template only");
            }
            List<LaunchTemplateVersion> all;
            synchronized (r) {
                List<LaunchTemplateVersion> v = r.versions.get(q.launchTemplateId());
                if (v == null) {
                    throw ec2Error("InvalidLaunchTemplateId.NotFound", "no template " + q.launchTemplateId());
                }
                all = new ArrayList<>(v);
            }
            Page<LaunchTemplateVersion> p = page(all, q.nextToken());
            return DescribeLaunchTemplateVersionsResponse.builder().launchTemplateVersions(p.items()).nextToken(p.next()).build();
        }

        @Override
        public String serviceName() {
            return "ec2";
        }

        @Override
        public void close() {
        }
    }

    // ------------------------------------------------------------------ Auto Scaling

    private final class FakeAutoScaling implements AutoScalingClient {
        private final Region r;

        FakeAutoScaling(Region r) {
            this.r = r;
        }

        @Override
        public DescribeAutoScalingGroupsResponse describeAutoScalingGroups(DescribeAutoScalingGroupsRequest q) {
            call("describeAutoScalingGroups", q);
            List<AutoScalingGroup> all;
            synchronized (r) {
                all = new ArrayList<>(r.groups);
            }
            Page<AutoScalingGroup> p = page(all, q.nextToken());
            return DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(p.items()).nextToken(p.next()).build();
        }

        @Override
        public DescribeLaunchConfigurationsResponse describeLaunchConfigurations(DescribeLaunchConfigurationsRequest q) {
            call("describeLaunchConfigurations", q);
            List<LaunchConfiguration> all;
            synchronized (r) {
                all = new ArrayList<>(r.configurations);
            }
            Page<LaunchConfiguration> p = page(all, q.nextToken());
            return DescribeLaunchConfigurationsResponse.builder().launchConfigurations(p.items()).nextToken(p.next()).build();
        }

        @Override
        public String serviceName() {
            return "autoscaling";
        }

        @Override
        public void close() {
        }
    }

    // ------------------------------------------------------------------ SSM

    private final class FakeSsm implements SsmClient {
        private final Region r;

        FakeSsm(Region r) {
            this.r = r;
        }

        @Override
        public DescribeParametersResponse describeParameters(DescribeParametersRequest q) {
            call("describeParameters", q);
            List<ParameterMetadata> matches = new ArrayList<>();
            synchronized (r) {
                for (String name : r.parameters.keySet()) {
                    boolean ok = true;
                    for (ParameterStringFilter f : q.parameterFilters()) {
                        if (!f.key().startsWith("tag:")) {
                            throw new UnsupportedOperationException("parameter filter " + f.key());
                        }
                        String value = r.parameterTags.getOrDefault(name, Map.of()).get(f.key().substring(4));
                        ok &= value != null && (!f.hasValues() || f.values().contains(value));
                    }
                    if (ok) {
                        matches.add(ParameterMetadata.builder().name(name).build());
                    }
                }
            }
            Page<ParameterMetadata> p = page(matches, q.nextToken());
            return DescribeParametersResponse.builder().parameters(p.items()).nextToken(p.next()).build();
        }

        @Override
        public GetParametersResponse getParameters(GetParametersRequest q) {
            call("getParameters", q);
            if (q.names().size() > 10) {
                throw new IllegalArgumentException("GetParameters takes at most 10 names");
            }
            List<Parameter> found = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            synchronized (r) {
                for (String n : q.names()) {
                    String value = r.parameters.get(n);
                    if (value == null) {
                        invalid.add(n);
                    } else {
                        found.add(Parameter.builder().name(n).value(value).build());
                    }
                }
            }
            return GetParametersResponse.builder().parameters(found).invalidParameters(invalid).build();
        }

        @Override
        public GetParametersByPathResponse getParametersByPath(GetParametersByPathRequest q) {
            call("getParametersByPath", q);
            List<Parameter> matches = new ArrayList<>();
            String prefix = q.path().endsWith("/") ? q.path() : q.path() + "/";
            synchronized (r) {
                r.parameters.forEach((n, v) -> {
                    if (n.startsWith(prefix)) {
                        matches.add(Parameter.builder().name(n).value(v).build());
                    }
                });
            }
            Page<Parameter> p = page(matches, q.nextToken());
            return GetParametersByPathResponse.builder().parameters(p.items()).nextToken(p.next()).build();
        }

        @Override
        public String serviceName() {
            return "ssm";
        }

        @Override
        public void close() {
        }
    }

    // ------------------------------------------------------------------ KMS

    private final class FakeKms implements KmsClient {
        private final Region r;

        FakeKms(Region r) {
            this.r = r;
        }

        @Override
        public DescribeKeyResponse describeKey(DescribeKeyRequest q) {
            call("describeKey", q);
            KeyManagerType manager;
            synchronized (r) {
                manager = r.keys.get(q.keyId());
            }
            if (manager == null) {
                throw (KmsException) KmsException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFoundException").errorMessage("no key " + q.keyId()).build())
                        .build();
            }
            return DescribeKeyResponse.builder().keyMetadata(m -> m.arn(q.keyId()).keyManager(manager)).build();
        }

        @Override
        public String serviceName() {
            return "kms";
        }

        @Override
        public void close() {
        }
    }
}
