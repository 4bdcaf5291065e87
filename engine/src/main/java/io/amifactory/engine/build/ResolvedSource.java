package io.amifactory.engine.build;

import io.amifactory.engine.image.ImageOrder;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The source AMI a build starts from, with what the launch needs to know about it.
 *
 * @param rootVolumeSize GiB of the root snapshot, null when unknown
 * @param ebsDevices     device names of the image's EBS mappings (encryption is set on each)
 * @param trackedImage   the tracked image's name when the source was one, else null
 * @param resolvedFrom   how it was found, for progress lines ("ssm:/aws/service/...", "filters name=...")
 */
public record ResolvedSource(String imageId, String name, String creationDate, String architecture, String platform,
        String rootDeviceName, Integer rootVolumeSize, List<String> ebsDevices, String trackedImage,
        String resolvedFrom) implements Serializable {

    public ResolvedSource {
        ebsDevices = ebsDevices == null ? List.of() : List.copyOf(ebsDevices);
    }

    /** Describes an EC2 image as a build source. */
    public static ResolvedSource of(Image image, String trackedImage, String resolvedFrom) {
        Integer rootSize = null;
        List<String> ebs = new java.util.ArrayList<>();
        for (BlockDeviceMapping m : image.blockDeviceMappings()) {
            if (m.ebs() != null) {
                ebs.add(m.deviceName());
                if (m.deviceName() != null && m.deviceName().equals(image.rootDeviceName())) {
                    rootSize = m.ebs().volumeSize();
                }
            }
        }
        return new ResolvedSource(image.imageId(), image.name(), image.creationDate(), image.architectureAsString(),
                image.platformAsString(), image.rootDeviceName(), rootSize, ebs, trackedImage, resolvedFrom);
    }

    /** The same source, found through the tracked image {@code name} (for the amifactory:tracked-image tag). */
    public ResolvedSource withTracked(String name) {
        return new ResolvedSource(imageId, this.name, creationDate, architecture, platform, rootDeviceName, rootVolumeSize,
                ebsDevices, name, resolvedFrom);
    }

    public Instant created() {
        return ImageOrder.creationInstant(creationDate);
    }

    public boolean isWindows() {
        return "windows".equalsIgnoreCase(platform);
    }

    public boolean isArm() {
        return architecture != null && architecture.startsWith("arm64");
    }
}
