package io.amifactory.engine.share;

import io.amifactory.engine.aws.AwsInterruptedException;
import static io.amifactory.engine.image.FakeCloud.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.image.FakeCloud;
import io.amifactory.engine.image.ImageQuery;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.PermissionGroup;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.kms.model.KeyManagerType;

class ImageSharerTest {
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";
    static final String OU = "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cdef3456";
    static final String EAST = "us-east-1";
    static final String WEST = "eu-west-1";

    final FakeCloud cloud = new FakeCloud();
    final List<String> lines = new ArrayList<>();
    final ProgressListener progress = lines::add;
    final ImageSharer sharer = new ImageSharer(cloud);

    @BeforeEach
    void twoRegions() {
        cloud.region(EAST).put(image("ami-0000000e", "web-2", "2025-02-01T00:00:00Z").build())
                .put(image("ami-1000000e", "web-1", "2025-01-01T00:00:00Z").build());
        cloud.region(WEST).put(image("ami-0000000w", "web-2", "2025-02-01T00:00:00Z").build());
    }

    static ShareRequest request(String yaml) {
        return ShareRequest.parse(InputNode.parse("share", yaml), List.of());
    }

    /** us-east-1 then eu-west-1, in this order (reports list regions in the order they were asked for). */
    static Map<String, String> bothRegions() {
        Map<String, String> images = new LinkedHashMap<>();
        images.put(EAST, "ami-0000000e");
        images.put(WEST, "ami-0000000w");
        return images;
    }

    static ShareRequest add(Grantees who, boolean snapshots) {
        return new ShareRequest(ImageLocator.byId(bothRegions()), who, ShareRequest.Operation.ADD, snapshots, false);
    }

    static Grantees accounts(String... ids) {
        return new Grantees(Set.of(ids), Set.of(), Set.of(), false);
    }

    @Test
    void sharesInEveryRegionWithAccountsOrganizationsAndOusAndReportsTheResult() {
        ShareReport report = sharer.share(add(new Grantees(Set.of("222222222222"), Set.of(ORG), Set.of(OU), false), false), progress);

        assertTrue(report.ok());
        for (String region : List.of(EAST, WEST)) {
            assertEquals(Set.of(LaunchPermission.builder().userId("222222222222").build(),
                    LaunchPermission.builder().organizationArn(ORG).build(),
                    LaunchPermission.builder().organizationalUnitArn(OU).build()),
                    cloud.region(region).launchPermissions(region.equals(EAST) ? "ami-0000000e" : "ami-0000000w"));
        }
        RegionShare east = report.regions().get(0);
        assertEquals(RegionShare.Status.CHANGED, east.status());
        assertEquals(Set.of("222222222222"), east.launchPermissions().accounts());
        assertEquals(Set.of(ORG), east.launchPermissions().organizationArns());
        assertEquals(Set.of(OU), east.launchPermissions().organizationalUnitArns());
        assertEquals(2, cloud.log().count("modifyImageAttribute"));
    }

    @Test
    void aRepeatedShareChangesNothing() {
        sharer.share(add(accounts("222222222222"), true), progress);
        cloud.log().clear();
        ShareReport again = sharer.share(add(accounts("222222222222"), true), progress);
        assertTrue(cloud.log().mutating().isEmpty(), cloud.log().mutating().toString());
        assertTrue(again.regions().stream().allMatch(r -> r.status() == RegionShare.Status.UNCHANGED));
        assertEquals(Set.of("222222222222"), again.regions().get(0).launchPermissions().accounts());
    }

    @Test
    void addsOnlyWhatIsMissing() {
        cloud.region(EAST).grant("ami-0000000e", LaunchPermission.builder().userId("222222222222").build());
        ShareReport report = sharer.share(add(accounts("222222222222", "333333333333"), false), progress);
        assertEquals(Set.of("333333333333"), report.regions().get(0).added().accounts());
        assertEquals(Set.of("222222222222", "333333333333"), report.regions().get(0).launchPermissions().accounts());
    }

    @Test
    void removesOnlyWhatIsThereAndLeavesOthers() {
        cloud.region(EAST).grant("ami-0000000e", LaunchPermission.builder().userId("222222222222").build())
                .grant("ami-0000000e", LaunchPermission.builder().userId("444444444444").build());
        ShareRequest remove = new ShareRequest(ImageLocator.byId(Map.of(EAST, "ami-0000000e")),
                accounts("222222222222", "333333333333"), ShareRequest.Operation.REMOVE, false, false);
        ShareReport report = sharer.share(remove, progress);
        assertEquals(Set.of("222222222222"), report.regions().get(0).removed().accounts());
        assertEquals(Set.of(LaunchPermission.builder().userId("444444444444").build()),
                cloud.region(EAST).launchPermissions("ami-0000000e"));
    }

    @Test
    void snapshotPermissionsGoToAccountsAndAreReported() {
        ShareReport report = sharer.share(add(accounts("222222222222"), true), progress);
        assertEquals(Set.of("222222222222"), cloud.region(EAST).snapshotUsers("snap-0000000e"));
        assertEquals(Map.of("snap-0000000e", Set.of("222222222222")), report.regions().get(0).snapshotPermissions());

        ShareRequest remove = new ShareRequest(ImageLocator.byId(Map.of(EAST, "ami-0000000e")), accounts("222222222222"),
                ShareRequest.Operation.REMOVE, true, false);
        sharer.share(remove, progress);
        assertEquals(Set.of(), cloud.region(EAST).snapshotUsers("snap-0000000e"));
    }

    @Test
    void publicNeedsAllowPublicAndIsReportedAsPublic() {
        ShareReport report = sharer.share(request("image: {us-east-1: ami-0000000e}\npublic: true\nallowPublic: true\n"), progress);
        assertTrue(report.regions().get(0).launchPermissions().everyone());
        assertTrue(cloud.region(EAST).launchPermissions("ami-0000000e")
                .contains(LaunchPermission.builder().group(PermissionGroup.ALL).build()));
        assertThrows(IllegalArgumentException.class, () -> new ShareRequest(ImageLocator.byId(Map.of(EAST, "ami-0000000e")),
                new Grantees(Set.of(), Set.of(), Set.of(), true), ShareRequest.Operation.ADD, false, false));
    }

    @Test
    void findsTheNewestMatchInEachRegionByName() {
        ShareRequest byName = new ShareRequest(ImageLocator.byQuery(ImageQuery.ownName("web-*"), List.of(EAST, WEST)),
                accounts("222222222222"), ShareRequest.Operation.ADD, false, false);
        ShareReport report = sharer.share(byName, progress);
        assertEquals("ami-0000000e", report.regions().get(0).imageId());
        assertEquals("ami-0000000w", report.regions().get(1).imageId());
        assertEquals(Set.of(), cloud.region(EAST).launchPermissions("ami-1000000e"));
    }

    @Test
    void invalidInputNeverReachesAws() {
        for (String bad : List.of(
                "image: {us-east-1: ami-0000000e}\naccounts: [1234]\n",
                "image: {us-east-1: ami-0000000e}\norgArns: [o-a1b2c3d4e5]\n",
                "image: {us-east-1: ami-0000000e}\nouArns: [ou-ab12-cdef3456]\n",
                "image: {us-east-1: ami-0000000e}\npublic: true\n",
                "image: {useast1: ami-0000000e}\naccounts: [222222222222]\n",
                "name: web-*\nregions: [us-east-1]\n",
                "image: {us-east-1: ami-0000000e}\naccounts: [222222222222]\nsnapshots: maybe\n")) {
            assertThrows(InputException.class, () -> sharer.share(request(bad), progress), bad);
        }
        assertTrue(cloud.log().calls().isEmpty(), cloud.log().calls().toString());
    }

    @Test
    void anImageMissingInOneRegionRefusesTheWholeShareBeforeAnyChange() {
        Map<String, String> images = bothRegions();
        images.put(WEST, "ami-99999999");
        ShareRequest r = new ShareRequest(ImageLocator.byId(images),
                accounts("222222222222"), ShareRequest.Operation.ADD, false, false);
        ShareRefusedException e = assertThrows(ShareRefusedException.class, () -> sharer.share(r, progress));
        assertEquals(List.of("eu-west-1: ami-99999999 does not exist there or is not owned by this account "
                + "(only the owner can share an AMI)"), e.problems());
        assertTrue(cloud.log().mutating().isEmpty(), cloud.log().mutating().toString());
        assertEquals(Set.of(), cloud.region(EAST).launchPermissions("ami-0000000e"));
    }

    @Test
    void anImageOfAnotherAccountIsNotShared() {
        cloud.region(EAST).put(image("ami-0000000f", "theirs", "2025-01-01T00:00:00Z").ownerId("999999999999").build());
        ShareRequest r = new ShareRequest(ImageLocator.byId(Map.of(EAST, "ami-0000000f")), accounts("222222222222"),
                ShareRequest.Operation.ADD, false, false);
        assertThrows(ShareRefusedException.class, () -> sharer.share(r, progress));
        assertTrue(cloud.log().mutating().isEmpty());
    }

    @Test
    void theAwsManagedEbsKeyIsRefusedBeforeAnyChange() {
        String key = "arn:aws:kms:eu-west-1:111111111111:key/aws-ebs-default";
        cloud.region(WEST).putSnapshot(Snapshot.builder().snapshotId("snap-0000000w").ownerId(FakeCloud.ACCOUNT)
                .encrypted(true).kmsKeyId(key).build()).key(key, KeyManagerType.AWS);
        ShareRefusedException e = assertThrows(ShareRefusedException.class,
                () -> sharer.share(add(accounts("222222222222"), false), progress));
        assertTrue(e.problems().get(0).startsWith("eu-west-1: ami-0000000w (snapshot snap-0000000w) is encrypted with the AWS "
                + "managed key " + key + " (aws/ebs), which cannot be shared"), e.problems().toString());
        assertTrue(cloud.log().mutating().isEmpty(), "us-east-1 must not have been shared either");
    }

    @Test
    void aCustomerKeyIsSharedWithAWarningAboutItsKeyPolicy() {
        String key = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        cloud.region(WEST).putSnapshot(Snapshot.builder().snapshotId("snap-0000000w").ownerId(FakeCloud.ACCOUNT)
                .encrypted(true).kmsKeyId(key).build()).key(key, KeyManagerType.CUSTOMER);
        ShareReport report = sharer.share(add(accounts("222222222222"), false), progress);
        assertTrue(report.ok());
        String warning = report.regions().get(1).warnings().get(0);
        assertTrue(warning.contains("customer managed key " + key + ": its key policy must allow accounts 222222222222"), warning);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARNING: ") && l.contains(key)));
    }

    @Test
    void anEncryptedAmiCannotBeMadePublic() {
        String key = "arn:aws:kms:us-east-1:111111111111:key/cust";
        cloud.region(EAST).putSnapshot(Snapshot.builder().snapshotId("snap-0000000e").encrypted(true).kmsKeyId(key).build())
                .key(key, KeyManagerType.CUSTOMER);
        ShareRefusedException e = assertThrows(ShareRefusedException.class,
                () -> sharer.share(request("image: {us-east-1: ami-0000000e}\npublic: true\nallowPublic: true\n"), progress));
        assertTrue(e.getMessage().contains("cannot make an encrypted AMI public"));
        assertTrue(cloud.log().mutating().isEmpty());
    }

    @Test
    void aKeyThatCannotBeDescribedAbortsWithNothingChanged() {
        cloud.region(WEST).putSnapshot(Snapshot.builder().snapshotId("snap-0000000w").encrypted(true).kmsKeyId("arn:unknown").build());
        ShareAbortedException e = assertThrows(ShareAbortedException.class,
                () -> sharer.share(add(accounts("222222222222"), false), progress));
        assertTrue(e.getMessage().contains("allow kms:DescribeKey"), e.getMessage());
        assertTrue(cloud.log().mutating().isEmpty());
    }

    @Test
    void theOwnerAccountIsLeftOutWithAWarning() {
        ShareReport report = sharer.share(add(accounts(FakeCloud.ACCOUNT, "222222222222"), false), progress);
        assertEquals(Set.of("222222222222"), report.regions().get(0).launchPermissions().accounts());
        assertTrue(report.regions().get(0).warnings().get(0).contains("needs no permission of its own"));
    }

    @Test
    void aFailingRegionIsReportedAndTheOthersAreStillShared() {
        cloud.failOn("modifyImageAttribute", q -> q.toString().contains("ami-0000000e")
                ? FakeCloud.ec2Error("OperationNotPermitted", "block public access") : null);
        ShareReport report = sharer.share(add(accounts("222222222222"), false), progress);
        assertFalse(report.ok());
        RegionShare east = report.regions().get(0);
        assertEquals(RegionShare.Status.FAILED, east.status());
        assertEquals("OperationNotPermitted: block public access", east.error());
        assertEquals(RegionShare.Status.CHANGED, report.regions().get(1).status());
        assertEquals(Set.of("222222222222"), report.regions().get(1).launchPermissions().accounts());
        assertNull(report.regions().get(1).error());
        assertTrue(report.toJson().contains("\"status\" : \"failed\""), report.toJson());
    }

    @Test
    void aCallerWithItsOwnRetryGetsTheAwsErrorItself() {
        ImageSharer throwing = new ImageSharer(cloud, ImageSharer.OnAwsError.THROW);
        cloud.failOn("modifyImageAttribute", q -> FakeCloud.ec2Error("RequestLimitExceeded", "slow down"));
        software.amazon.awssdk.core.exception.SdkException change = assertThrows(
                software.amazon.awssdk.core.exception.SdkException.class,
                () -> throwing.share(add(accounts("222222222222"), false), progress));
        assertEquals("RequestLimitExceeded", io.amifactory.engine.aws.AwsErrors.code(change));

        cloud.region(WEST).putSnapshot(Snapshot.builder().snapshotId("snap-0000000w").encrypted(true).kmsKeyId("arn:unknown").build());
        software.amazon.awssdk.core.exception.SdkException check = assertThrows(
                software.amazon.awssdk.core.exception.SdkException.class,
                () -> throwing.share(add(accounts("222222222222"), false), progress));
        assertTrue(check.getMessage() != null && !check.getMessage().isBlank());
    }

    @Test
    void anInterruptStopsTheShareWhereItIsInsteadOfFailingEachRegion() {
        cloud.failOn("modifyImageAttribute", req -> io.amifactory.engine.testkit.FakeErrors.interrupted());
        AwsInterruptedException e = assertThrows(AwsInterruptedException.class,
                () -> sharer.share(add(accounts("222222222222"), false), progress));

        assertTrue(Thread.interrupted(), "the caller sees the interrupt");
        assertEquals("interrupted while sharing us-east-1: ami-0000000e (web-2)", e.getMessage());
        assertEquals(1, cloud.log().count("modifyImageAttribute"), "the second region is not tried");
        assertFalse(lines.stream().anyMatch(l -> l.contains("Thread was interrupted")), "no region failed: " + lines);
    }
}
