package io.amifactory.engine.reliability;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.share.Grantees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.OperationType;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The data the share and prune tests under faults work on, made straight at Moto, the same in each of two
 * regions and once per family name — so that a fault-free run over one family and a faulty run over another
 * meet identical data, and their outcomes can be compared name for name ({@link #normalise}).
 */
final class TwoRegionEstate {
    static final String FIRST = "us-east-1";
    static final String SECOND = "eu-west-1";
    static final List<String> REGIONS = List.of(FIRST, SECOND);

    private final AwsClients direct;

    TwoRegionEstate(AwsClients direct) {
        this.direct = direct;
    }

    /**
     * A family of six images {@code F-0} (oldest) … {@code F-5} (newest) in {@code region}, one snapshot
     * each, and what uses them: version 1 of launch template {@code F-lt} launches {@code F-1} (its default,
     * version 2, launches {@code F-3}), a running instance {@code F-2}, and the factory's published SSM
     * parameter {@code /F/web/latest} names {@code F-3}. Under "keep the newest 1": F-5 newest, F-1, F-2, F-3
     * in use, F-0 and F-4 deregistered. Returns the ids, index = the number in the name.
     */
    List<String> pruneFamily(String region, String family) {
        Ec2Client ec2 = direct.ec2(region);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= 5; i++) {
            String name = family + "-" + i;
            ids.add(ec2.registerImage(r -> r.name(name)).imageId());
        }
        String template = ec2.createLaunchTemplate(r -> r.launchTemplateName(family + "-lt")
                .launchTemplateData(d -> d.imageId(ids.get(1)))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).launchTemplateData(d -> d.imageId(ids.get(3))));
        ec2.modifyLaunchTemplate(r -> r.launchTemplateId(template).defaultVersion("2"));
        ec2.runInstances(r -> r.imageId(ids.get(2)).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1));
        direct.ssm(region).putParameter(r -> r.name("/" + family + "/web/latest").value(ids.get(3)).type(ParameterType.STRING)
                .tags(software.amazon.awssdk.services.ssm.model.Tag.builder().key(Tags.PUBLISHED_BY).value(family).build()));
        return ids;
    }

    /** One image {@code F-web-1} in {@code region} (one snapshot); {@code alreadyShared} has launch and create-volume permission. */
    String shareImage(String region, String family, String alreadyShared) {
        Ec2Client ec2 = direct.ec2(region);
        String id = ec2.registerImage(r -> r.name(family + "-web-1")).imageId();
        if (alreadyShared != null) {
            ec2.modifyImageAttribute(r -> r.imageId(id).launchPermission(p -> p.add(l -> l.userId(alreadyShared))));
            ec2.modifySnapshotAttribute(r -> r.snapshotId(snapshotOf(region, id))
                    .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION).operationType(OperationType.ADD)
                    .userIds(alreadyShared));
        }
        return id;
    }

    String snapshotOf(String region, String imageId) {
        return direct.ec2(region).describeImages(r -> r.imageIds(imageId)).images().get(0)
                .blockDeviceMappings().get(0).ebs().snapshotId();
    }

    /** Launch permissions of {@code imageId} as EC2 reports them now. */
    Grantees launchPermissions(String region, String imageId) {
        return Grantees.of(direct.ec2(region).describeImageAttribute(r -> r.imageId(imageId)
                .attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions());
    }

    /** Accounts with create-volume permission on the snapshot of {@code imageId}. */
    Set<String> snapshotAccounts(String region, String imageId) {
        Set<String> out = new TreeSet<>();
        direct.ec2(region).describeSnapshotAttribute(r -> r.snapshotId(snapshotOf(region, imageId))
                .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)).createVolumePermissions()
                .forEach(p -> out.add(p.userId()));
        return out;
    }

    /** Names of own images in {@code region} starting with {@code family-}, with their ids. */
    Map<String, String> imagesOf(String region, String family) {
        Map<String, String> out = new TreeMap<>();
        direct.ec2(region).describeImages(r -> r.owners("self")).images().stream()
                .filter(i -> i.name() != null && i.name().startsWith(family + "-"))
                .forEach(i -> out.put(i.name(), i.imageId()));
        return out;
    }

    /**
     * Text with AWS ids masked and {@code family} read as {@code as}: what a run over one family says,
     * comparable with what a run over its twin says.
     */
    static String normalise(String text, String family, String as) {
        return text == null ? null : text.replaceAll("\\b(ami|i|snap|lt)-[0-9a-f]{8,17}\\b", "$1-*").replace(family, as);
    }
}
