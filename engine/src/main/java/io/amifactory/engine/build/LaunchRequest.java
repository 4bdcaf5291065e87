package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;

/** The RunInstances request of a build (also sent with DryRun by a dry run). */
final class LaunchRequest {
    static final String DEFAULT_TYPE_X86 = "t3.small";
    static final String DEFAULT_TYPE_ARM = "t4g.small";

    private LaunchRequest() {
    }

    static String instanceType(BuildContext ctx) {
        String t = ctx.spec().instance().type();
        if (t != null) {
            return t;
        }
        return ctx.record().source.isArm() ? DEFAULT_TYPE_ARM : DEFAULT_TYPE_X86;
    }

    static RunInstancesRequest build(BuildContext ctx, boolean dryRun) {
        BuildSpec spec = ctx.spec();
        BuildSpec.Instance inst = spec.instance();
        BuildRecord r = ctx.record();
        RunInstancesRequest.Builder b = RunInstancesRequest.builder()
                .imageId(r.source.imageId())
                .instanceType(instanceType(ctx))
                .minCount(1)
                .maxCount(1)
                // Same token on every attempt: EC2 launches once even if this call is repeated after a crash.
                .clientToken("amifactory-" + CustomisationScript.shortHash(r.buildId))
                // The wrapper powers the instance off when the customisation ends; it must stop, not vanish.
                .instanceInitiatedShutdownBehavior(ShutdownBehavior.STOP)
                .metadataOptions(m -> m.httpEndpoint(InstanceMetadataEndpointState.ENABLED)
                        .httpTokens(inst.imdsV2Required() ? HttpTokensState.REQUIRED : HttpTokensState.OPTIONAL))
                .tagSpecifications(BuildTags.spec(ResourceType.INSTANCE, BuildTags.instance(ctx)),
                        BuildTags.spec(ResourceType.VOLUME, BuildTags.buildIdOnly(ctx)))
                .dryRun(dryRun)
                .overrideConfiguration(SingleAttempt.OVERRIDE);
        if (inst.subnet() != null) {
            b.subnetId(inst.subnet());
        }
        if (!inst.securityGroups().isEmpty()) {
            b.securityGroupIds(inst.securityGroups());
        }
        if (inst.profile() != null) {
            IamInstanceProfileSpecification.Builder p = IamInstanceProfileSpecification.builder();
            if (inst.profile().startsWith("arn:")) {
                p.arn(inst.profile());
            } else {
                p.name(inst.profile());
            }
            b.iamInstanceProfile(p.build());
        }
        if (inst.keyPair() != null) {
            b.keyName(inst.keyPair());
        }
        List<BlockDeviceMapping> mappings = mappings(spec, r.source);
        if (!mappings.isEmpty()) {
            b.blockDeviceMappings(mappings);
        }
        String userData = userData(spec, r.buildId);
        if (userData != null) {
            b.userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        }
        return b.build();
    }

    /** The wrapped script for userData/bootstrapUrl builds; null for the others. */
    static String userData(BuildSpec spec, String buildId) {
        if (spec.customisation() instanceof BuildSpec.UserData u) {
            return CustomisationScript.forScript(buildId, u.script());
        }
        if (spec.customisation() instanceof BuildSpec.BootstrapUrl u) {
            return CustomisationScript.forBootstrapUrl(buildId, u.url());
        }
        return null;
    }

    /**
     * The root volume always goes when the instance is terminated; size and type as asked; with encryption,
     * every EBS volume of the source is encrypted at launch, so the image's snapshots are too.
     */
    private static List<BlockDeviceMapping> mappings(BuildSpec spec, ResolvedSource source) {
        List<BlockDeviceMapping> out = new ArrayList<>();
        if (source.rootDeviceName() == null) {
            return out;
        }
        BuildSpec.Image image = spec.image();
        BuildSpec.Instance inst = spec.instance();
        List<String> devices = new ArrayList<>(source.ebsDevices());
        if (!devices.contains(source.rootDeviceName())) {
            devices.add(0, source.rootDeviceName());
        }
        for (String device : devices) {
            boolean root = device.equals(source.rootDeviceName());
            if (!root && !image.encrypted()) {
                continue;
            }
            EbsBlockDevice.Builder ebs = EbsBlockDevice.builder();
            if (root) {
                ebs.deleteOnTermination(true);
                // The source's own size when none is asked for: some EC2 implementations want a size
                // whenever a mapping is given, and it changes nothing.
                Integer size = inst.rootVolumeSize() != null ? inst.rootVolumeSize() : source.rootVolumeSize();
                if (size != null) {
                    ebs.volumeSize(size);
                }
                if (inst.rootVolumeType() != null) {
                    ebs.volumeType(inst.rootVolumeType());
                }
            }
            if (image.encrypted()) {
                ebs.encrypted(true);
                if (image.kmsKey() != null) {
                    ebs.kmsKeyId(image.kmsKey());
                }
            }
            out.add(BlockDeviceMapping.builder().deviceName(device).ebs(ebs.build()).build());
        }
        return out;
    }
}
