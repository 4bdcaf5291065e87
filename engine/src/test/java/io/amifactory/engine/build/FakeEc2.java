package io.amifactory.engine.build;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CopyImageRequest;
import software.amazon.awssdk.services.ec2.model.CopyImageResponse;
import software.amazon.awssdk.services.ec2.model.CreateImageRequest;
import software.amazon.awssdk.services.ec2.model.CreateImageResponse;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVolumeRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DeregisterImageRequest;
import software.amazon.awssdk.services.ec2.model.DeregisterImageResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationRequest;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputResponse;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.ModifyImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.ModifySnapshotAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifySnapshotAttributeResponse;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.StopInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StopInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Volume;

/** The EC2 of one region of a {@link FakeAws}. */
public final class FakeEc2 implements Ec2Client {
    static final String SELF = "111122223333";

    final FakeAws aws;
    final String region;
    final Map<String, Inst> instances = new LinkedHashMap<>();
    final Map<String, Img> images = new LinkedHashMap<>();
    final Map<String, Snap> snapshots = new LinkedHashMap<>();
    final Map<String, Vol> volumes = new LinkedHashMap<>();
    private final Map<String, String> runTokens = new LinkedHashMap<>();
    private final Map<String, String> copyTokens = new LinkedHashMap<>();

    static final class Inst {
        String id;
        String imageId;
        String type;
        String state = "pending";
        Instant since;
        Map<String, String> tags = new LinkedHashMap<>();
        String buildId;
        StringBuilder console = new StringBuilder();
        boolean customised;
        Instant stoppedAt;
        RunInstancesRequest request;
    }

    static final class Img {
        String id;
        String name;
        String description;
        String state = "available";
        boolean self;
        boolean made;
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> snapshotIds = new ArrayList<>();
        Instant availableAt;
        String endState = "available";
        String architecture = "x86_64";
        String platform;
        String creationDate;
        List<LaunchPermission> launchPermissions = new ArrayList<>();
        Instant deprecateAt;
    }

    static final class Snap {
        String id;
        String state = "completed";
        boolean made;
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> volumeUsers = new ArrayList<>();
    }

    static final class Vol {
        String id;
        String state = "in-use";
        String instanceId;
        Map<String, String> tags = new LinkedHashMap<>();
    }

    FakeEc2(FakeAws aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    @Override
    public String serviceName() {
        return "ec2";
    }

    @Override
    public void close() {
    }

    // ---- set-up

    /** An upstream image (not owned by this account) to build from. */
    public FakeEc2 addSourceImage(String id, String name, String architecture, String platform) {
        synchronized (aws.lock) {
            Img i = new Img();
            i.id = id;
            i.name = name;
            i.architecture = architecture;
            i.platform = platform;
            i.creationDate = "2026-02-20T08:00:00.000Z";
            Snap s = new Snap();
            s.id = aws.id("snap");
            snapshots.put(s.id, s);
            i.snapshotIds.add(s.id);
            images.put(id, i);
        }
        return this;
    }

    /** An image this account already owns (e.g. one whose name a new build must not take). */
    public FakeEc2 addOwnImage(String id, String name) {
        synchronized (aws.lock) {
            Img i = new Img();
            i.id = id;
            i.name = name;
            i.self = true;
            i.creationDate = "2026-01-01T00:00:00.000Z";
            images.put(id, i);
        }
        return this;
    }

    public Inst instance(String id) {
        synchronized (aws.lock) {
            return instances.get(id);
        }
    }

    public Img image(String id) {
        synchronized (aws.lock) {
            return images.get(id);
        }
    }

    /** When the instance last reached {@code stopped} (null if it never did): what a build waits to notice. */
    public Instant stoppedAt(String instanceId) {
        synchronized (aws.lock) {
            tick();
            return instances.get(instanceId).stoppedAt;
        }
    }

    /** When the image becomes (or became) available. */
    public Instant availableAt(String imageId) {
        synchronized (aws.lock) {
            return images.get(imageId).availableAt;
        }
    }

    List<String> liveInstances() {
        tick();
        return instances.values().stream().filter(i -> Instances.LIVE.contains(i.state)).map(i -> i.id).toList();
    }

    List<String> madeImages() {
        tick();
        return images.values().stream().filter(i -> i.made && !i.state.equals("deregistered")).map(i -> i.id).toList();
    }

    List<String> madeSnapshots() {
        return snapshots.values().stream().filter(s -> s.made).map(s -> s.id).toList();
    }

    int launchedCount() {
        return instances.size();
    }

    // ---- time passing

    void tick() {
        Instant now = aws.now();
        for (Inst i : instances.values()) {
            boolean changed = true;
            while (changed) {
                changed = false;
                FakeAws.Timing timing = aws.timing(i.buildId);
                if (i.state.equals("pending") && !now.isBefore(i.since.plus(timing.boot()))) {
                    i.state = "running";
                    i.since = i.since.plus(timing.boot());
                    i.console.append("Linux version 6.1.0 (fake)\ncloud-init: modules final running\n");
                    changed = true;
                } else if (i.state.equals("running") && !i.customised && i.buildId != null
                        && aws.script != FakeAws.Script.NEVER_ENDS && !now.isBefore(i.since.plus(timing.customisation()))) {
                    i.customised = true;
                    if (aws.script == FakeAws.Script.SUCCEEDS) {
                        i.console.append("AMIFACTORY:").append(i.buildId).append(":START\n");
                    }
                    aws.scriptOutput.forEach(l -> i.console.append(l).append('\n'));
                    if (aws.script == FakeAws.Script.SUCCEEDS) {
                        i.console.append("\nAMIFACTORY:").append(i.buildId).append(":EXIT:").append(aws.exitCode).append('\n');
                    }
                    i.console.append("reboot: Power down\n");
                    i.state = "stopping";
                    i.since = i.since.plus(timing.customisation());
                    changed = true;
                } else if (i.state.equals("stopping") && !now.isBefore(i.since.plus(timing.stop()))) {
                    i.state = "stopped";
                    i.since = i.since.plus(timing.stop());
                    i.stoppedAt = i.since;
                    changed = true;
                } else if (i.state.equals("shutting-down") && !now.isBefore(i.since.plus(aws.terminateTime))) {
                    i.state = "terminated";
                    i.since = i.since.plus(aws.terminateTime);
                    volumes.values().removeIf(v -> i.id.equals(v.instanceId));
                    changed = true;
                }
            }
        }
        for (Img img : images.values()) {
            if (img.state.equals("pending") && !now.isBefore(img.availableAt)) {
                img.state = img.endState;
                img.snapshotIds.forEach(s -> {
                    Snap snap = snapshots.get(s);
                    if (snap != null) {
                        snap.state = "completed";
                    }
                });
            }
        }
    }

    private <T> T op(String name, Supplier<T> body) {
        Faults.refuseIfInterrupted();
        synchronized (aws.lock) {
            aws.record(region, name);
            int call = aws.nextCall();
            aws.faults.before(name, call, FakeAws.EC2_ERRORS);
            tick();
            T result = body.get();
            aws.faults.after(name, call);
            return result;
        }
    }

    private static RuntimeException dryRunOk() {
        return FakeAws.ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
    }

    // ---- instances

    @Override
    public RunInstancesResponse runInstances(RunInstancesRequest req) {
        return op("runInstances", () -> {
            if (Boolean.TRUE.equals(req.dryRun())) {
                requireImage(req.imageId());
                throw dryRunOk();
            }
            if (req.clientToken() != null && runTokens.containsKey(req.clientToken())) {
                return RunInstancesResponse.builder().instances(toInstance(instances.get(runTokens.get(req.clientToken()))))
                        .build();
            }
            requireImage(req.imageId());
            Inst i = new Inst();
            i.id = aws.id("i");
            i.imageId = req.imageId();
            i.type = req.instanceTypeAsString();
            i.since = aws.now();
            i.request = req;
            i.buildId = FakeAws.buildIdOf(req.userData());
            i.tags.putAll(tags(req.tagSpecifications(), ResourceType.INSTANCE));
            instances.put(i.id, i);
            Vol v = new Vol();
            v.id = aws.id("vol");
            v.instanceId = i.id;
            v.tags.putAll(tags(req.tagSpecifications(), ResourceType.VOLUME));
            volumes.put(v.id, v);
            if (req.clientToken() != null) {
                runTokens.put(req.clientToken(), i.id);
            }
            return RunInstancesResponse.builder().instances(toInstance(i)).build();
        });
    }

    @Override
    public DescribeInstancesResponse describeInstances(DescribeInstancesRequest req) {
        return op("describeInstances", () -> {
            List<Reservation> out = new ArrayList<>();
            for (String id : req.instanceIds()) {
                if (!instances.containsKey(id)) {
                    throw FakeAws.ec2Error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist", 400);
                }
            }
            for (Inst i : instances.values()) {
                if (!req.instanceIds().isEmpty() && !req.instanceIds().contains(i.id)) {
                    continue;
                }
                if (matches(req.filters(), f -> switch (f) {
                    case "instance-state-name" -> List.of(i.state);
                    case "instance-id" -> List.of(i.id);
                    default -> tagValue(f, i.tags);
                })) {
                    out.add(Reservation.builder().instances(toInstance(i)).build());
                }
            }
            return DescribeInstancesResponse.builder().reservations(out).build();
        });
    }

    @Override
    public GetConsoleOutputResponse getConsoleOutput(GetConsoleOutputRequest req) {
        return op("getConsoleOutput", () -> {
            Inst i = requireInstance(req.instanceId());
            String text = i.console.toString();
            return GetConsoleOutputResponse.builder().instanceId(i.id)
                    .output(text.isEmpty() ? null : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)))
                    .build();
        });
    }

    @Override
    public StopInstancesResponse stopInstances(StopInstancesRequest req) {
        return op("stopInstances", () -> {
            List<InstanceStateChange> changes = new ArrayList<>();
            for (String id : req.instanceIds()) {
                Inst i = requireInstance(id);
                if (i.state.equals("running")) {
                    i.state = "stopping";
                    i.since = aws.now();
                }
                changes.add(InstanceStateChange.builder().instanceId(id).build());
            }
            return StopInstancesResponse.builder().stoppingInstances(changes).build();
        });
    }

    /** What the Moto test does by hand: the instance stops as if its customisation had ended. */
    public void stopByItself(String id) {
        synchronized (aws.lock) {
            Inst i = instances.get(id);
            i.state = "stopped";
            i.since = aws.now();
            i.stoppedAt = i.since;
            i.customised = true;
        }
    }

    @Override
    public TerminateInstancesResponse terminateInstances(TerminateInstancesRequest req) {
        return op("terminateInstances", () -> {
            for (String id : req.instanceIds()) {
                requireInstance(id);
            }
            if (Boolean.TRUE.equals(req.dryRun())) {
                throw dryRunOk();
            }
            List<InstanceStateChange> changes = new ArrayList<>();
            for (String id : req.instanceIds()) {
                Inst i = instances.get(id);
                if (!i.state.equals("terminated") && !i.state.equals("shutting-down")) {
                    i.state = "shutting-down";
                    i.since = aws.now();
                }
                changes.add(InstanceStateChange.builder().instanceId(id).build());
            }
            return TerminateInstancesResponse.builder().terminatingInstances(changes).build();
        });
    }

    @Override
    public DescribeVolumesResponse describeVolumes(DescribeVolumesRequest req) {
        return op("describeVolumes", () -> {
            List<Volume> out = new ArrayList<>();
            for (Vol v : volumes.values()) {
                if (matches(req.filters(), f -> f.equals("status") ? List.of(v.state) : tagValue(f, v.tags))) {
                    out.add(Volume.builder().volumeId(v.id).state(v.state).tags(ec2Tags(v.tags)).build());
                }
            }
            return DescribeVolumesResponse.builder().volumes(out).build();
        });
    }

    @Override
    public DeleteVolumeResponse deleteVolume(DeleteVolumeRequest req) {
        return op("deleteVolume", () -> {
            volumes.remove(req.volumeId());
            return DeleteVolumeResponse.builder().build();
        });
    }

    // ---- images and snapshots

    @Override
    public DescribeImagesResponse describeImages(DescribeImagesRequest req) {
        return op("describeImages", () -> {
            for (String id : req.imageIds()) {
                if (!images.containsKey(id)) {
                    throw FakeAws.ec2Error("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist", 400);
                }
            }
            List<Image> out = new ArrayList<>();
            if (aws.tagFilterMisses > 0 && req.filters().stream().anyMatch(f -> f.name().startsWith("tag:"))) {
                aws.tagFilterMisses--;
                return DescribeImagesResponse.builder().images(out).build();
            }
            for (Img i : images.values()) {
                if (i.state.equals("deregistered")) {
                    continue;
                }
                if (!req.imageIds().isEmpty() && !req.imageIds().contains(i.id)) {
                    continue;
                }
                if (!req.owners().isEmpty() && !(req.owners().contains("self") ? i.self : !i.self)) {
                    continue;
                }
                if (matches(req.filters(), f -> switch (f) {
                    case "name" -> List.of(i.name);
                    case "state" -> List.of(i.state);
                    case "image-id" -> List.of(i.id);
                    default -> tagValue(f, i.tags);
                })) {
                    out.add(toImage(i));
                }
            }
            return DescribeImagesResponse.builder().images(out).build();
        });
    }

    @Override
    public CreateImageResponse createImage(CreateImageRequest req) {
        return op("createImage", () -> {
            Inst inst = requireInstance(req.instanceId());
            if (inst.state.equals("terminated")) {
                throw FakeAws.ec2Error("IncorrectInstanceState", "The instance is terminated", 400);
            }
            for (Img other : images.values()) {
                if (other.self && !other.state.equals("deregistered") && other.name.equals(req.name())) {
                    throw FakeAws.ec2Error("InvalidAMIName.Duplicate", "AMI name " + req.name() + " is already in use", 400);
                }
            }
            Img i = madeImage(req.name(), req.description(), aws.timing(inst.buildId).image());
            i.endState = aws.imageEndState;
            i.architecture = images.containsKey(inst.imageId) ? images.get(inst.imageId).architecture : "x86_64";
            i.tags.putAll(tags(req.tagSpecifications(), ResourceType.IMAGE));
            Snap s = madeSnapshot(tags(req.tagSpecifications(), ResourceType.SNAPSHOT));
            i.snapshotIds.add(s.id);
            return CreateImageResponse.builder().imageId(i.id).build();
        });
    }

    @Override
    public CopyImageResponse copyImage(CopyImageRequest req) {
        return op("copyImage", () -> {
            FakeEc2 from = aws.fakeEc2(req.sourceRegion());
            Img source = from.images.get(req.sourceImageId());
            if (source == null || source.state.equals("deregistered")) {
                throw FakeAws.ec2Error("InvalidAMIID.NotFound", "The image " + req.sourceImageId() + " does not exist", 400);
            }
            if (Boolean.TRUE.equals(req.dryRun())) {
                throw dryRunOk();
            }
            if (req.clientToken() != null && copyTokens.containsKey(req.clientToken())) {
                return CopyImageResponse.builder().imageId(copyTokens.get(req.clientToken())).build();
            }
            Img i = madeImage(req.name(), req.description(),
                    aws.timing(tags(req.tagSpecifications(), ResourceType.IMAGE).get(io.amifactory.engine.Tags.BUILD_ID)).copy());
            i.architecture = source.architecture;
            i.tags.putAll(tags(req.tagSpecifications(), ResourceType.IMAGE));
            Snap s = madeSnapshot(tags(req.tagSpecifications(), ResourceType.SNAPSHOT));
            i.snapshotIds.add(s.id);
            if (req.clientToken() != null) {
                copyTokens.put(req.clientToken(), i.id);
            }
            return CopyImageResponse.builder().imageId(i.id).build();
        });
    }

    private Img madeImage(String name, String description, java.time.Duration takes) {
        Img i = new Img();
        i.id = aws.id("ami");
        i.name = name;
        i.description = description;
        i.self = true;
        i.made = true;
        i.state = "pending";
        i.availableAt = aws.now().plus(takes);
        i.creationDate = aws.now().toString();
        images.put(i.id, i);
        return i;
    }

    private Snap madeSnapshot(Map<String, String> tags) {
        Snap s = new Snap();
        s.id = aws.id("snap");
        s.made = true;
        s.state = "pending";
        s.tags.putAll(tags);
        snapshots.put(s.id, s);
        return s;
    }

    @Override
    public DeregisterImageResponse deregisterImage(DeregisterImageRequest req) {
        return op("deregisterImage", () -> {
            Img i = images.get(req.imageId());
            if (i == null || i.state.equals("deregistered")) {
                throw FakeAws.ec2Error("InvalidAMIID.Unavailable", "The image " + req.imageId() + " is no longer available", 400);
            }
            i.state = "deregistered";
            return DeregisterImageResponse.builder().build();
        });
    }

    @Override
    public DeleteSnapshotResponse deleteSnapshot(DeleteSnapshotRequest req) {
        return op("deleteSnapshot", () -> {
            Snap s = snapshots.get(req.snapshotId());
            if (s == null) {
                throw FakeAws.ec2Error("InvalidSnapshot.NotFound", "The snapshot " + req.snapshotId() + " does not exist", 400);
            }
            for (Img i : images.values()) {
                if (!i.state.equals("deregistered") && i.snapshotIds.contains(s.id)) {
                    throw FakeAws.ec2Error("InvalidSnapshot.InUse", "The snapshot " + s.id + " is in use by " + i.id, 400);
                }
            }
            snapshots.remove(s.id);
            return DeleteSnapshotResponse.builder().build();
        });
    }

    @Override
    public DescribeSnapshotsResponse describeSnapshots(DescribeSnapshotsRequest req) {
        return op("describeSnapshots", () -> {
            List<Snapshot> out = new ArrayList<>();
            for (Snap s : snapshots.values()) {
                if (!req.ownerIds().isEmpty() && !s.made) {
                    continue;
                }
                if (matches(req.filters(), f -> tagValue(f, s.tags))) {
                    out.add(Snapshot.builder().snapshotId(s.id).state(s.state).tags(ec2Tags(s.tags)).build());
                }
            }
            return DescribeSnapshotsResponse.builder().snapshots(out).build();
        });
    }

    @Override
    public CreateTagsResponse createTags(CreateTagsRequest req) {
        return op("createTags", () -> {
            for (String id : req.resources()) {
                Map<String, String> target;
                if (images.containsKey(id)) {
                    target = images.get(id).tags;
                } else if (snapshots.containsKey(id)) {
                    target = snapshots.get(id).tags;
                } else if (instances.containsKey(id)) {
                    target = instances.get(id).tags;
                } else {
                    throw FakeAws.ec2Error("InvalidID", "The ID '" + id + "' is not valid", 400);
                }
                req.tags().forEach(t -> target.put(t.key(), t.value()));
            }
            return CreateTagsResponse.builder().build();
        });
    }

    @Override
    public EnableImageDeprecationResponse enableImageDeprecation(EnableImageDeprecationRequest req) {
        return op("enableImageDeprecation", () -> {
            requireImage(req.imageId()).deprecateAt = req.deprecateAt();
            return EnableImageDeprecationResponse.builder().returnValue(true).build();
        });
    }

    @Override
    public ModifyImageAttributeResponse modifyImageAttribute(ModifyImageAttributeRequest req) {
        return op("modifyImageAttribute", () -> {
            Img i = requireImage(req.imageId());
            if (req.launchPermission() != null) {
                for (LaunchPermission p : req.launchPermission().add()) {
                    if (!i.launchPermissions.contains(p)) {
                        i.launchPermissions.add(p);
                    }
                }
                i.launchPermissions.removeAll(req.launchPermission().remove());
            }
            return ModifyImageAttributeResponse.builder().build();
        });
    }

    @Override
    public ModifySnapshotAttributeResponse modifySnapshotAttribute(ModifySnapshotAttributeRequest req) {
        return op("modifySnapshotAttribute", () -> {
            Snap s = snapshots.get(req.snapshotId());
            if (s == null) {
                throw FakeAws.ec2Error("InvalidSnapshot.NotFound", "no snapshot " + req.snapshotId(), 400);
            }
            if ("remove".equals(req.operationTypeAsString())) {
                s.volumeUsers.removeAll(req.userIds());
            } else {
                req.userIds().stream().filter(u -> !s.volumeUsers.contains(u)).forEach(s.volumeUsers::add);
            }
            return ModifySnapshotAttributeResponse.builder().build();
        });
    }

    @Override
    public DescribeImageAttributeResponse describeImageAttribute(DescribeImageAttributeRequest req) {
        return op("describeImageAttribute", () -> {
            Img i = requireImage(req.imageId());
            return DescribeImageAttributeResponse.builder().imageId(i.id).launchPermissions(List.copyOf(i.launchPermissions)).build();
        });
    }

    @Override
    public DescribeSnapshotAttributeResponse describeSnapshotAttribute(DescribeSnapshotAttributeRequest req) {
        return op("describeSnapshotAttribute", () -> {
            Snap s = snapshots.get(req.snapshotId());
            if (s == null) {
                throw FakeAws.ec2Error("InvalidSnapshot.NotFound", "no snapshot " + req.snapshotId(), 400);
            }
            return DescribeSnapshotAttributeResponse.builder().snapshotId(s.id).createVolumePermissions(
                    s.volumeUsers.stream().map(u -> CreateVolumePermission.builder().userId(u).build()).toList()).build();
        });
    }

    // ---- helpers

    private Img requireImage(String id) {
        Img i = images.get(id);
        if (i == null || i.state.equals("deregistered")) {
            throw FakeAws.ec2Error("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist", 400);
        }
        return i;
    }

    private Inst requireInstance(String id) {
        Inst i = instances.get(id);
        if (i == null) {
            throw FakeAws.ec2Error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist", 400);
        }
        return i;
    }

    private static Map<String, String> tags(List<TagSpecification> specs, ResourceType type) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TagSpecification s : specs) {
            if (s.resourceType() == type) {
                s.tags().forEach(t -> out.put(t.key(), t.value()));
            }
        }
        return out;
    }

    private static List<String> tagValue(String filter, Map<String, String> tags) {
        if (filter.startsWith("tag:")) {
            String v = tags.get(filter.substring(4));
            return v == null ? List.of() : List.of(v);
        }
        throw new UnsupportedOperationException("filter " + filter + " is not faked");
    }

    private static boolean matches(List<Filter> filters, Function<String, List<String>> values) {
        for (Filter f : filters) {
            List<String> actual = values.apply(f.name());
            if (actual.stream().noneMatch(a -> f.values().stream().anyMatch(w -> glob(w, a)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean glob(String pattern, String value) {
        return value != null && value.matches(java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }

    private static List<Tag> ec2Tags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    private Instance toInstance(Inst i) {
        return Instance.builder().instanceId(i.id).imageId(i.imageId).instanceType(i.type)
                .state(s -> s.name(i.state)).tags(ec2Tags(i.tags)).build();
    }

    private Image toImage(Img i) {
        List<BlockDeviceMapping> mappings = new ArrayList<>();
        boolean first = true;
        for (String s : i.snapshotIds) {
            mappings.add(BlockDeviceMapping.builder().deviceName(first ? "/dev/xvda" : "/dev/xvdb")
                    .ebs(e -> e.snapshotId(s).volumeSize(8).deleteOnTermination(true)).build());
            first = false;
        }
        return Image.builder().imageId(i.id).name(i.name).description(i.description).state(i.state)
                .ownerId(i.self ? SELF : "137112412989").creationDate(i.creationDate).architecture(i.architecture)
                .platform(i.platform).rootDeviceName("/dev/xvda").blockDeviceMappings(mappings).tags(ec2Tags(i.tags))
                .deprecationTime(i.deprecateAt == null ? null : i.deprecateAt.toString())
                .build();
    }

    /** An automation document's createImage step: an available image with a snapshot, untagged. */
    String createImageForAutomation(String name) {
        Img i = madeImage(name, "made by automation", java.time.Duration.ZERO);
        i.state = "available";
        Snap s = madeSnapshot(Map.of());
        s.state = "completed";
        i.snapshotIds.add(s.id);
        return i.id;
    }
}
