package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

/** The share command end to end against Moto (credentials from the aws.* system properties of the SDK chain). */
@ExtendWith(MotoExtension.class)
class ShareCommandTest {
    static final String R = "eu-west-1";
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";

    /** Output of one CLI run. */
    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void dummyCredentials() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterAll
    static void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static Run run(MotoServer moto, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoint-url");
        all.add(moto.endpoint().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AmiFactory.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    static List<LaunchPermission> permissions(Ec2Client ec2, String imageId) {
        return ec2.describeImageAttribute(r -> r.imageId(imageId).attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions();
    }

    @Test
    void sharesAndUnsharesAndSaysWhatTheImageHasNow(MotoServer moto, AwsClients aws) throws Exception {
        Ec2Client ec2 = aws.ec2(R);
        String image = ec2.registerImage(r -> r.name("web-1")).imageId();

        Run shared = run(moto, "share", "--image", image, "--region", R, "--accounts", "222222222222,333333333333", "--org-arns", ORG);
        assertEquals(0, shared.exit(), shared.err());
        String[] lines = shared.out().split("\n");
        assertTrue(lines[0].matches("REGION\\s+AMI ID\\s+STATUS\\s+LAUNCH PERMISSIONS"), lines[0]);
        assertEquals(R + "  " + image + "  changed  account 222222222222, account 333333333333, organization " + ORG, lines[1]);
        assertEquals(3, permissions(ec2, image).size());

        Run json = run(moto, "share", "--name", "web-*", "--region", R, "--accounts", "222222222222", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals("add", report.get("operation").asText());
        assertEquals("unchanged", report.get("regions").get(0).get("status").asText());
        assertEquals(2, report.get("regions").get(0).get("launchPermissions").get("accounts").size());
        assertEquals(false, report.get("regions").get(0).get("launchPermissions").get("public").asBoolean());

        Run removed = run(moto, "share", "--image", R + "=" + image, "--accounts", "222222222222", "--org-arns", ORG, "--remove");
        assertEquals(0, removed.exit(), removed.err());
        assertEquals(List.of(LaunchPermission.builder().userId("333333333333").build()), permissions(ec2, image));
    }

    @Test
    void invalidInputExitsTwoAndChangesNothing(MotoServer moto, AwsClients aws) {
        Ec2Client ec2 = aws.ec2(R);
        String image = ec2.registerImage(r -> r.name("web-1")).imageId();

        Run badAccount = run(moto, "share", "--image", image, "--region", R, "--accounts", "222222222222,12345");
        assertEquals(2, badAccount.exit());
        assertEquals("amifactory: command line: accounts[1]: '12345' is not an AWS account id (12 digits)\n", badAccount.err());

        Run publicUnasked = run(moto, "share", "--image", image, "--region", R, "--public");
        assertEquals(2, publicUnasked.exit());
        assertTrue(publicUnasked.err().contains("needs allowPublic: true as well (--allow-public)"), publicUnasked.err());

        Run missingInOneRegion = run(moto, "share", "--image", R + "=" + image, "--image", "us-east-1=ami-12345678",
                "--accounts", "222222222222");
        assertEquals(2, missingInOneRegion.exit());
        assertTrue(missingInOneRegion.err().startsWith("amifactory: refused, nothing was changed:\n"
                + "  us-east-1: ami-12345678 does not exist there"), missingInOneRegion.err());

        Run twoRegionsOneId = run(moto, "share", "--image", image, "--region", R, "--region", "us-east-1", "--accounts", "222222222222");
        assertEquals(2, twoRegionsOneId.exit());

        assertEquals(List.of(), permissions(ec2, image), "nothing may have been shared");
    }
}
