package io.amifactory.engine.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.input.InputException;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.track.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class BuildSpecReaderTest {
    private static final String BASE = """
            name: web
            imageName: "web-{timestamp}"
            source: ami-0123456789abcdef0
            userData: |
              #!/bin/bash
              echo hi
            """;

    static List<BuildSpec> read(String yaml) {
        return new BuildSpecReader("eu-west-1").read(InputNode.parse("spec.yaml", yaml), null);
    }

    static InputException rejected(String yaml) {
        return assertThrows(InputException.class, () -> read(yaml));
    }

    @Test
    void aFullSpecReadsIntoEveryField() {
        BuildSpec s = read(BASE + """
                region: eu-central-1
                completion: stop
                timeout: 1h30m
                instance:
                  type: m7i-flex.large
                  subnet: subnet-0123456789abcdef0
                  securityGroups: [sg-0123456789abcdef0, sg-01234567]
                  profile: arn:aws:iam::111122223333:instance-profile/builder
                  keyPair: ops
                  rootVolume: {size: 30, type: gp3}
                  imdsV2: optional
                  tags: {Name: "builder {name}"}
                image:
                  description: "web from {source.name}"
                  tags: {team: platform}
                  snapshotTags: {backup: "no"}
                  kmsKey: arn:aws:kms:eu-central-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab
                  noReboot: true
                  deprecateAfter: 90d
                copies:
                  - region: us-east-1
                    kmsKey: alias/amis
                  - region: us-west-2
                    kmsKey: alias/amis
                share:
                  accounts: ["444455556666", 777788889999]
                  organizations: [arn:aws:organizations::111122223333:organization/o-abcdefghij]
                  organizationalUnits: [arn:aws:organizations::111122223333:ou/o-abcdefghij/ou-ab12-abcdefgh]
                  snapshots: true
                publish: ["/amifactory/{name}/latest", "/teams/web/{region}/ami"]
                """).get(0);
        assertEquals("web", s.name());
        assertEquals("eu-central-1", s.region());
        assertEquals(new BuildSpec.ImageId("ami-0123456789abcdef0"), s.source());
        BuildSpec.UserData u = assertInstanceOf(BuildSpec.UserData.class, s.customisation());
        assertEquals(BuildSpec.Completion.STOP, u.completion());
        assertEquals(Duration.ofMinutes(90), s.timeout());
        assertEquals("m7i-flex.large", s.instance().type());
        assertEquals(List.of("sg-0123456789abcdef0", "sg-01234567"), s.instance().securityGroups());
        assertEquals(30, s.instance().rootVolumeSize());
        assertFalse(s.instance().imdsV2Required());
        assertTrue(s.image().encrypted());
        assertTrue(s.image().noReboot());
        assertEquals(Duration.ofDays(90), s.image().deprecateAfter());
        assertEquals(List.of("eu-central-1", "us-east-1", "us-west-2"), s.regions());
        assertEquals(List.of("444455556666", "777788889999"), s.share().accounts());
        assertTrue(s.share().snapshots());
        assertEquals(2, s.publish().size());
        assertFalse(s.dryRun());
    }

    @Test
    void defaultsApplyKeyByKeyAndTheBuildWins() {
        List<BuildSpec> specs = read("""
                defaults:
                  region: us-east-2
                  source: ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
                  userData: "#!/bin/sh\\necho default"
                  instance: {type: t3.large, subnet: subnet-0123456789abcdef0}
                  image: {tags: {team: platform, tier: base}}
                builds:
                  - imageName: "base-{date}-{epoch}"
                  - name: web
                    imageName: "web-{date}-{epoch}"
                    instance: {type: c7i.xlarge}
                    image: {tags: {tier: web}}
                    ssmCommand: "dnf install -y nginx"
                    region: eu-west-1
                    defaultsDoNotApply: true
                """.replace("    defaultsDoNotApply: true\n", "    instance: {type: c7i.xlarge, profile: builder}\n")
                .replace("    instance: {type: c7i.xlarge}\n", ""));
        BuildSpec base = specs.get(0);
        assertEquals("base", base.name(), "a name is derived from the image name's fixed text");
        assertEquals("us-east-2", base.region());
        assertEquals(new BuildSpec.Lookup(new ImageSource.Parameter(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")), base.source());
        assertInstanceOf(BuildSpec.UserData.class, base.customisation());
        assertEquals("t3.large", base.instance().type());
        BuildSpec web = specs.get(1);
        assertEquals("eu-west-1", web.region());
        assertEquals("c7i.xlarge", web.instance().type());
        assertEquals("subnet-0123456789abcdef0", web.instance().subnet(), "merged key by key");
        assertEquals(Map.of("team", "platform", "tier", "web"), web.image().tags());
        assertInstanceOf(BuildSpec.SsmCommand.class, web.customisation(), "a build's customisation replaces the default one");
    }

    @Test
    void seed001PayloadAsWrittenIsReadButItsPlaceholderAccountIsRejected() {
        String payload = """
                {
                    "amis": [
                        {
                            "imageName": "Webserver",
                            "sourceImage": "ami-0de53d8956e8dcf80",
                            "bootstrapUrl": "https://raw.githubusercontent.com/bryanlabs/aws-amifactory/master/bootstrap/webserver.sh",
                            "accounts": [
                                "CHANGEME"
                            ],
                            "automationDocument": "DefaultLinuxAmiDocument"
                        }
                    ]
                }
                """;
        InputException e = assertThrows(InputException.class,
                () -> new BuildSpecReader("us-east-1").read(InputNode.parse("payload.json", payload), null));
        assertEquals("payload.json:8: amis[0].accounts[0]: must be a 12-digit AWS account id, not 'CHANGEME'", e.getMessage());

        BuildSpec s = new BuildSpecReader("us-east-1")
                .read(InputNode.parse("payload.json", payload.replace("CHANGEME", "123456789012")), null).get(0);
        assertEquals("Webserver", s.name());
        assertEquals("Webserver-{timestamp}", s.imageName(), "seed names were always made unique by the document");
        assertEquals(new BuildSpec.ImageId("ami-0de53d8956e8dcf80"), s.source());
        BuildSpec.Automation a = assertInstanceOf(BuildSpec.Automation.class, s.customisation());
        assertEquals("DefaultLinuxAmiDocument", a.document());
        assertEquals("https://raw.githubusercontent.com/bryanlabs/aws-amifactory/master/bootstrap/webserver.sh", a.bootstrapUrl());
        assertEquals(List.of("123456789012"), s.share().accounts());
    }

    @Test
    void userDataFileIsReadRelativeToTheSpecFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("setup.sh"), "#!/bin/bash\necho from file\n");
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, BASE.replace("userData: |\n  #!/bin/bash\n  echo hi\n", "userDataFile: setup.sh\n"));
        BuildSpec s = new BuildSpecReader("eu-west-1").read(spec).get(0);
        BuildSpec.UserData u = assertInstanceOf(BuildSpec.UserData.class, s.customisation());
        assertEquals("#!/bin/bash\necho from file\n", u.script());
        assertFalse(u.toString().contains("echo from file"), "the script never shows in toString");
    }

    @Test
    void sourcesComeInFourShapes() {
        assertEquals(new BuildSpec.Tracked("al2023"), read(BASE.replace("ami-0123456789abcdef0", "al2023")).get(0).source());
        BuildSpec f = read(BASE.replace("source: ami-0123456789abcdef0\n", """
                source:
                  filters: {name: "al2023-ami-2023.*-x86_64", architecture: x86_64}
                  owners: [amazon]
                """)).get(0);
        ImageSource.Filters filters = (ImageSource.Filters) ((BuildSpec.Lookup) f.source()).source();
        assertEquals(List.of("amazon"), filters.owners());
        assertEquals(List.of("x86_64"), filters.filters().get("architecture"));
        assertEquals(new BuildSpec.Tracked("eks-131"),
                read(BASE.replace("source: ami-0123456789abcdef0\n", "source: {tracked: eks-131}\n")).get(0).source());
    }

    @Test
    void noRegionAnywhereIsAnError() {
        InputException e = assertThrows(InputException.class,
                () -> new BuildSpecReader(null).read(InputNode.parse("spec.yaml", BASE), null));
        assertTrue(e.getMessage().startsWith("spec.yaml:1: region: no region"), e.getMessage());
    }

    public static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(BASE.replace("web-{timestamp}", "web:{timestamp}"), "spec.yaml:2: imageName: the AMI name (e.g. 'web:20260101000000') contains ':'"),
                Arguments.of(BASE.replace("web-{timestamp}", "ab"), "spec.yaml:2: imageName: the AMI name 'ab' has 2 characters; EC2 takes 3 to 128"),
                Arguments.of(BASE.replace("web-{timestamp}", "x".repeat(129)), "has 129 characters"),
                Arguments.of(BASE.replace("web-{timestamp}", "web-{today}"), "spec.yaml:2: imageName: unknown placeholder {today}"),
                Arguments.of(BASE.replace("web-{timestamp}", "web-{timestamp"), "unbalanced"),
                Arguments.of(BASE.replace("ami-0123456789abcdef0", "ami-xyz"), "spec.yaml:3: source: 'ami-xyz' is not an AMI id"),
                Arguments.of(BASE.replace("ami-0123456789abcdef0", "not an id!"), "spec.yaml:3: source: 'not an id!' is not an AMI id"),
                Arguments.of(BASE.replace("source: ami-0123456789abcdef0\n", "source: {filters: {name: x}}\n"), "source.owners: is required with filters"),
                Arguments.of(BASE.replace("source: ami-0123456789abcdef0\n", ""), "source: is required"),
                Arguments.of(BASE + "region: europe\n", "spec.yaml:7: region: 'europe' is not an AWS region name"),
                Arguments.of(BASE + "bootstrapUrl: https://x.example/a.sh\n", "give exactly one customisation, not userData and bootstrapUrl"),
                Arguments.of(BASE.replace("#!/bin/bash", "#cloud-config"), "spec.yaml:4: userData: must be a shell script"),
                Arguments.of(BASE.replace("  echo hi\n", "  " + "x".repeat(15_000) + "\n"), "userData: the script has 15"),
                Arguments.of(BASE.replace("userData: |\n  #!/bin/bash\n  echo hi\n", "bootstrapUrl: http://x.example/a.sh\n"), "spec.yaml:4: bootstrapUrl: must start with https:// or s3://"),
                Arguments.of(BASE.replace("userData: |\n  #!/bin/bash\n  echo hi\n", "bootstrapUrl: \"https://x.example/a.sh';reboot'\"\n"), "percent-encoded"),
                Arguments.of(BASE.replace("userData: |\n  #!/bin/bash\n  echo hi\n", "ssmCommand: echo hi\n"), "instance.profile: ssmCommand needs an instance profile"),
                Arguments.of(BASE + "completion: maybe\n", "spec.yaml:7: completion: must be marker or stop"),
                Arguments.of(BASE + "instance: {type: large}\n", "spec.yaml:7: instance.type: 'large' is not an instance type"),
                Arguments.of(BASE + "instance: {subnet: subnet-12}\n", "instance.subnet: 'subnet-12' is not a subnet id"),
                Arguments.of(BASE + "instance:\n  securityGroups: [sg-01234567, default]\n", "spec.yaml:8: instance.securityGroups[1]: 'default' is not a security group id"),
                Arguments.of(BASE + "instance: {profile: \"a b\"}\n", "instance.profile: 'a b' is not an instance profile"),
                Arguments.of(BASE + "instance: {rootVolume: {size: 0}}\n", "instance.rootVolume.size: must be 1 to 16384"),
                Arguments.of(BASE + "instance: {rootVolume: {type: gp9}}\n", "instance.rootVolume.type: 'gp9' is not an EBS volume type"),
                Arguments.of(BASE + "instance: {imdsV2: sometimes}\n", "instance.imdsV2: must be required or optional"),
                Arguments.of(BASE + "instance: {colour: red}\n", "spec.yaml:7: instance.colour: unknown key 'colour'"),
                Arguments.of(BASE + "imageNmae: x\n", "spec.yaml:7: imageNmae: unknown key 'imageNmae'"),
                Arguments.of(BASE + "image: {kmsKey: mykey}\n", "image.kmsKey: 'mykey' is not a KMS key id, alias (alias/name) or ARN"),
                Arguments.of(BASE + "image: {kmsKey: \"arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab\"}\n",
                        "image.kmsKey: the KMS key arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab is in us-east-1 but is used in eu-west-1"),
                Arguments.of(BASE + "image: {encrypted: false, kmsKey: alias/x}\n", "image.encrypted: is false but kmsKey is set"),
                Arguments.of(BASE + "image: {encrypted: true}\nshare: {accounts: [\"444455556666\"]}\n", "image.kmsKey: other accounts cannot launch an image encrypted with the default aws/ebs key"),
                Arguments.of(BASE + "image: {kmsKey: alias/x}\ncopies: [us-east-1]\nshare: {accounts: [\"444455556666\"]}\n", "copies[0].kmsKey: the copy to us-east-1 needs its own key"),
                Arguments.of(BASE + "image: {tags: {\"aws:x\": y}}\n", "tag key 'aws:x' uses the prefix aws:"),
                Arguments.of(BASE + "image: {tags: {\"amifactory:build-id\": y}}\n", "which the factory writes itself"),
                Arguments.of(BASE + "image: {tags: {k: \"" + "v".repeat(257) + "\"}}\n", "tag value has 257 characters"),
                Arguments.of(BASE + "image: {deprecateAfter: soon}\n", "image.deprecateAfter: 'soon' is not a duration"),
                Arguments.of(BASE + "image: {description: \"" + "d".repeat(256) + "\"}\n", "image.description: has 256 characters"),
                Arguments.of(BASE + "copies: [eu-west-1]\n", "spec.yaml:7: copies[0]: eu-west-1 is the build region"),
                Arguments.of(BASE + "copies: [us-east-1, us-east-1]\n", "copies[1]: us-east-1 is listed twice"),
                Arguments.of(BASE + "share: {accounts: [\"12345\"]}\n", "share.accounts[0]: must be a 12-digit AWS account id, not '12345'"),
                Arguments.of(BASE + "share: {organizations: [o-abc]}\n", "share.organizations[0]: must be an organization ARN"),
                Arguments.of(BASE + "share: {organizationalUnits: [\"arn:aws:organizations::111122223333:ou/o-abcdefghij\"]}\n", "must be an OU ARN"),
                Arguments.of(BASE + "share: {organizations: [\"arn:aws:organizations::111122223333:organization/o-abcdefghij\"], snapshots: true}\n", "share.snapshots: snapshot create-volume permission is granted to accounts"),
                Arguments.of(BASE + "publish: amifactory/latest\n", "publish: 'amifactory/latest' is not an SSM parameter path"),
                Arguments.of(BASE + "publish: /aws/mine\n", "reserved by AWS"),
                Arguments.of(BASE + "publish: \"/x/{nope}\"\n", "publish: unknown placeholder {nope}"),
                Arguments.of(BASE + "timeout: 60\n", "timeout: '60' is not a duration"),
                Arguments.of(BASE + "timeout: 2d\n", "timeout: must be between 1m and 1d, not 2d"),
                Arguments.of(BASE + "dryRun: perhaps\n", "dryRun: must be true or false"),
                Arguments.of(BASE + "automation: {assumeRole: x}\n", "automation: only applies with automationDocument"),
                Arguments.of(BASE.replace("userData: |\n  #!/bin/bash\n  echo hi\n", "automationDocument: AWS-UpdateLinuxAmi\nautomation: {assumeRole: bob}\n"), "automation.assumeRole: 'bob' is not an IAM role ARN"),
                Arguments.of(BASE.replace("name: web\n", "name: web site\n"), "spec.yaml:1: name: 'web site' is not a build name"),
                Arguments.of("builds:\n  - " + BASE.replace("\n", "\n    ").trim() + "\n  - " + BASE.replace("\n", "\n    ").trim() + "\n", "the build name 'web' is used twice"),
                Arguments.of("builds: []\n", "builds: is empty"),
                Arguments.of("defaults: {region: eu-west-1}\n", "builds: is required next to defaults"),
                Arguments.of("builds: [x]\n", "builds[0]: must be a mapping describing one build"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidSpecsAreRejectedNamingTheField(String yaml, String expected) {
        InputException e = rejected(yaml);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void aTrackedSourceMayNotLookLikeAnAmiId() {
        assertTrue(rejected(BASE.replace("ami-0123456789abcdef0", "ami-tracked")).getMessage().contains("is not an AMI id"));
    }

    @Test
    void durationsReadTheWayPeopleWriteThem() {
        assertEquals(Duration.ofMinutes(90), SpecDurations.parse("1h30m"));
        assertEquals(Duration.ofDays(90), SpecDurations.parse("90d"));
        assertEquals(Duration.ofMinutes(45), SpecDurations.parse("PT45M"));
        assertEquals(Duration.ofDays(7), SpecDurations.parse("P7D"));
        assertNull(SpecDurations.parse("60"));
        assertNull(SpecDurations.parse("ten minutes"));
        assertEquals("1h30m", SpecDurations.format(Duration.ofMinutes(90)));
    }

    @Test
    void placeholdersRenderAndCheck() {
        Map<String, String> v = Placeholders.withSource(
                Placeholders.values("web", "eu-west-1", "web-1", java.time.Instant.parse("2026-03-01T10:11:12Z")),
                "ami-0123456789abcdef0", "al2023", java.time.Instant.parse("2026-02-20T08:00:00Z"), null);
        assertEquals("web-2026-03-01-101112-20260301101112-1772359872-al2023-2026-02-20-",
                Placeholders.render("{name}-{date}-{time}-{timestamp}-{epoch}-{source.name}-{source.date}-{tracked}", v));
        assertNull(Placeholders.check("a-{date}", Placeholders.FOR_IMAGE_NAME));
        assertTrue(Placeholders.check("a-{imageName}", Placeholders.FOR_IMAGE_NAME).contains("unknown placeholder {imageName}"));
    }
}
