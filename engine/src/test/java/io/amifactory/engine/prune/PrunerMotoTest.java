package io.amifactory.engine.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.progress.ProgressListener;
import io.amifactory.engine.testkit.MotoExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The whole prune through the real SDK against Moto: what is in use stays, what goes leaves no snapshot. */
@ExtendWith(MotoExtension.class)
class PrunerMotoTest {
    static final String R = "us-east-1";

    @Test
    void deletesTheSnapshotsOfWhatItDeregistersAndKeepsWhatIsInUse(AwsClients aws) {
        Ec2Client ec2 = aws.ec2(R);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String id = ec2.registerImage(r -> r.name("web-" + ids.size())).imageId();
            ec2.createTags(r -> r.resources(id).tags(Tag.builder().key(Tags.TRACKED_IMAGE).value("web").build()));
            ids.add(id);
        }
        String onlyOldTemplateVersion = ids.get(0);
        String unused = ids.get(1);
        String runningInstance = ids.get(2);
        String publishedParameter = ids.get(3);
        String newest = ids.get(4);
        Map<String, String> snapshots = snapshotsOf(ec2, ids);

        // version 1 of the template points at the old image; $Default and $Latest point at the newest
        String template = ec2.createLaunchTemplate(r -> r.launchTemplateName("web")
                .launchTemplateData(d -> d.imageId(onlyOldTemplateVersion))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).launchTemplateData(d -> d.imageId(newest)));
        ec2.modifyLaunchTemplate(r -> r.launchTemplateId(template).defaultVersion("2"));
        ec2.runInstances(r -> r.imageId(runningInstance).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1));
        aws.ssm(R).putParameter(r -> r.name("/factory/web/latest").value(publishedParameter).type(ParameterType.STRING)
                .tags(software.amazon.awssdk.services.ssm.model.Tag.builder().key(Tags.PUBLISHED_BY).value("web").build()));

        Pruner pruner = new Pruner(aws);
        PrunePlan plan = pruner.plan(new PruneRequest(ImageQuery.ownTags(Map.of(Tags.TRACKED_IMAGE, "web")), List.of(R),
                PrunePolicy.keepNewest(1), List.of()), ProgressListener.NONE);
        Map<String, Decision> decisions = plan.regions().get(0).images().stream()
                .collect(Collectors.toMap(Decision::imageId, d -> d));
        assertEquals(5, decisions.size(), plan.toJson());
        assertEquals(Reason.IN_USE, decisions.get(onlyOldTemplateVersion).reason(), plan.toJson());
        assertTrue(decisions.get(onlyOldTemplateVersion).detail().contains("launch template web version 1"));
        assertEquals(Reason.IN_USE, decisions.get(runningInstance).reason());
        assertEquals(Reason.IN_USE, decisions.get(publishedParameter).reason());
        assertTrue(decisions.get(publishedParameter).detail().contains("SSM parameter /factory/web/latest"));
        assertEquals(Reason.IN_USE, decisions.get(newest).reason());
        assertEquals(PruneAction.DEREGISTER, decisions.get(unused).action());

        PruneReport report = pruner.execute(plan, ProgressListener.NONE);

        assertTrue(report.ok(), report.toJson());
        Set<String> left = ec2.describeImages(r -> r.owners("self")).images().stream().map(Image::imageId).collect(Collectors.toSet());
        assertEquals(Set.of(onlyOldTemplateVersion, runningInstance, publishedParameter, newest), left);
        Set<String> snapshotsLeft = ec2.describeSnapshots(r -> r.ownerIds("self")).snapshots().stream()
                .map(Snapshot::snapshotId).collect(Collectors.toSet());
        assertTrue(!snapshotsLeft.contains(snapshots.get(unused)), "the deregistered image's snapshot is deleted");
        for (String kept : left) {
            assertTrue(snapshotsLeft.contains(snapshots.get(kept)), "a kept image keeps its snapshot");
        }
        assertEquals(List.of(snapshots.get(unused)), report.results().get(0).actions().get(0).deletedSnapshots());
    }

    static Map<String, String> snapshotsOf(Ec2Client ec2, List<String> ids) {
        return ec2.describeImages(r -> r.imageIds(ids)).images().stream()
                .collect(Collectors.toMap(Image::imageId, i -> i.blockDeviceMappings().get(0).ebs().snapshotId()));
    }
}
