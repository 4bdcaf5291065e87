package io.amifactory.engine.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareRequestTest {
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";
    static final String OU = "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cdef3456";

    static ShareRequest parse(String yaml) {
        return ShareRequest.parse(InputNode.parse("share.yaml", yaml), List.of("us-east-1"));
    }

    static String error(String yaml) {
        return assertThrows(InputException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void readsAccountsOrganizationsAndOus() {
        ShareRequest r = parse("image: ami-0123456789abcdef0\naccounts: [222222222222, 333333333333, 222222222222]\n"
                + "orgArns: [" + ORG + "]\nouArns: " + OU + "\nsnapshots: true\n");
        assertEquals(Set.of("222222222222", "333333333333"), r.grantees().accounts());
        assertEquals(Set.of(ORG), r.grantees().organizationArns());
        assertEquals(Set.of(OU), r.grantees().organizationalUnitArns());
        assertFalse(r.grantees().everyone());
        assertEquals(ShareRequest.Operation.ADD, r.operation());
        assertTrue(r.snapshots());
        assertEquals(Map.of("us-east-1", "ami-0123456789abcdef0"), ((ImageLocator.ById) r.images()).imageIdByRegion());
    }

    @Test
    void imagesPerRegionFromABuildResult() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("image", Map.of("eu-west-1", "ami-11111111", "us-east-1", "ami-22222222"));
        args.put("accounts", List.of("222222222222"));
        ShareRequest r = ShareRequest.parse(InputNode.ofValue("amiShare", args), List.of());
        assertEquals(Set.of("eu-west-1", "us-east-1"), Set.copyOf(r.regions()));
    }

    @Test
    void imagesPerRegionAsCommandLineRegionEqualsId() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("image", List.of("eu-west-1=ami-11111111", "us-east-1=ami-22222222"));
        args.put("accounts", "222222222222");
        ShareRequest r = ShareRequest.parse(InputNode.ofValue("command line", args), List.of());
        assertEquals(Map.of("eu-west-1", "ami-11111111", "us-east-1", "ami-22222222"),
                ((ImageLocator.ById) r.images()).imageIdByRegion());

        args.put("image", List.of("eu-west-1=ami-11111111", "eu-west-1=ami-22222222"));
        assertEquals("command line: image[1]: names region eu-west-1 twice", assertThrows(InputException.class,
                () -> ShareRequest.parse(InputNode.ofValue("command line", args), List.of())).getMessage());
        args.put("image", List.of("eu-west-1=ami-11111111", "ami-22222222"));
        assertEquals("command line: image[1]: 'ami-22222222' must be REGION=AMI-ID when several regions are given",
                assertThrows(InputException.class, () -> ShareRequest.parse(InputNode.ofValue("command line", args), List.of()))
                        .getMessage());
        args.put("image", "eu-west-1=ami-11111111");
        args.put("regions", List.of("eu-west-1"));
        assertEquals("command line: regions: image already names the region of each AMI; leave regions out",
                assertThrows(InputException.class, () -> ShareRequest.parse(InputNode.ofValue("command line", args), List.of()))
                        .getMessage());
    }

    @Test
    void tagsAsKeyEqualsValueList() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("tags", List.of("amifactory:tracked-image=web", "team=a=b"));
        args.put("accounts", "222222222222");
        ShareRequest r = ShareRequest.parse(InputNode.ofValue("command line", args), List.of("us-east-1"));
        assertEquals(Map.of("amifactory:tracked-image", "web", "team", "a=b"),
                ((ImageLocator.ByQuery) r.images()).query().tags());
        args.put("tags", List.of("team="));
        assertEquals("command line: tags[0]: a tag value must have 1 to 256 characters (use * for any value)",
                assertThrows(InputException.class, () -> ShareRequest.parse(InputNode.ofValue("command line", args),
                        List.of("us-east-1"))).getMessage());
    }

    @Test
    void findsByNameOrTagsInEveryRegion() {
        ShareRequest r = parse("name: web-*\ntags: {role: web}\nregions: [eu-west-1, us-east-1]\naccounts: 222222222222\nremove: true\n");
        ImageLocator.ByQuery q = assertInstanceOf(ImageLocator.ByQuery.class, r.images());
        assertEquals("web-*", q.query().nameGlob());
        assertEquals(List.of("eu-west-1", "us-east-1"), r.regions());
        assertEquals(ShareRequest.Operation.REMOVE, r.operation());
    }

    @Test
    void publicNeedsAllowPublicToAddButNotToRemove() {
        assertEquals("share.yaml:2: public: making an AMI public lets anyone in the world launch it; it needs "
                + "allowPublic: true as well (--allow-public)", error("image: ami-12345678\npublic: true\n"));
        assertTrue(parse("image: ami-12345678\npublic: true\nallowPublic: true\n").grantees().everyone());
        assertTrue(parse("image: ami-12345678\npublic: true\nremove: true\n").grantees().everyone());
    }

    @Test
    void everyBadValueIsNamed() {
        assertEquals("share.yaml:2: accounts[1]: '12345' is not an AWS account id (12 digits)",
                error("image: ami-12345678\naccounts: [222222222222, 12345]\n"));
        assertEquals("share.yaml:2: orgArns: 'o-a1b2c3d4e5' is not an organization ARN "
                + "(arn:aws:organizations::ACCOUNT:organization/o-xxxxxxxxxx)", error("image: ami-12345678\norgArns: o-a1b2c3d4e5\n"));
        assertEquals("share.yaml:2: ouArns[0]: '" + ORG + "' is not an organizational unit ARN "
                + "(arn:aws:organizations::ACCOUNT:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx)", error("image: ami-12345678\nouArns: [" + ORG + "]\n"));
        assertEquals("share.yaml:1: image: 'ami-XYZ' is not an AMI id (ami- and 8 or 17 hex digits)",
                error("image: ami-XYZ\naccounts: 222222222222\n"));
        assertEquals("share.yaml:1: accounts: nobody to share with: give accounts, orgArns, ouArns or public",
                error("image: ami-12345678\n"));
        assertEquals("share.yaml:1: image: give the AMI (image) or name/tags to find it in each region",
                error("accounts: 222222222222\n"));
        assertEquals("share.yaml:1: image: give either image or name/tags, not both",
                error("image: ami-12345678\nname: web\naccounts: 222222222222\n"));
        assertTrue(error("image: ami-12345678\naccounts: 222222222222\nregions: [us-east-1, eu-west-1]\n")
                .startsWith("share.yaml:1: image: an AMI id belongs to one region, but 2 regions were given"));
        assertEquals("share.yaml:3: snapshots: snapshot permissions can be given to accounts only (EC2 cannot share "
                + "snapshots with organizations, OUs or the public); give accounts",
                error("image: ami-12345678\norgArns: " + ORG + "\nsnapshots: true\n"));
        assertEquals("share.yaml:3: owners: only the owner of an AMI can share it; owners cannot be set",
                error("name: web\naccounts: 222222222222\nowners: amazon\n"));
        assertEquals("share.yaml:1: image.useast1: 'useast1' is not an AWS region name (like us-east-1 or eu-central-2)",
                error("image: {useast1: ami-12345678}\naccounts: 222222222222\n"));
        assertTrue(error("image: ami-12345678\naccount: 222222222222\n").startsWith("share.yaml:2: account: unknown key 'account'"));
    }
}
