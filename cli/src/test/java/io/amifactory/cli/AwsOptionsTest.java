package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The global AWS options are checked before anything is sent: exit 2, the option named, no call made. */
@ExtendWith(MotoExtension.class)
class AwsOptionsTest {
    @TempDir
    Path dir;
    private FaultProxy proxy;
    private Path config;

    @BeforeEach
    void start(MotoServer moto) throws Exception {
        proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
        config = Files.writeString(dir.resolve("t.yaml"), "images:\n  - {name: a, parameter: /x, regions: [us-east-1]}\n");
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private String rejected(String... options) {
        List<String> args = new ArrayList<>(List.of("check", "--config", config.toString(),
                "--state", dir.resolve("state.json").toString()));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        int code;
        try {
            code = AmiFactory.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertEquals(2, code, err.toString());
        assertEquals(List.of(), proxy.calls(), "no call was made");
        assertTrue(Files.notExists(dir.resolve("state.json")));
        return err.toString().strip();
    }

    @Test
    void aRoleArnThatIsNotOneIsRejectedBeforeStsIsAsked() {
        assertEquals("amifactory: --role-arn: 'ami-reader' is not an IAM role ARN (like arn:aws:iam::123456789012:role/ami-reader)",
                rejected("--endpoint-url", proxy.endpoint().toString(), "--role-arn", "ami-reader"));
    }

    @Test
    void anExternalIdWithoutARoleIsRejected() {
        assertEquals("amifactory: --external-id: only applies with --role-arn",
                rejected("--endpoint-url", proxy.endpoint().toString(), "--external-id", "factory"));
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRejected() {
        assertEquals("amifactory: --endpoint-url: 'localhost:4566' is not an http or https URL (like http://localhost:5000)",
                rejected("--endpoint-url", "localhost:4566"));
        assertTrue(rejected("--endpoint-url", "ftp://127.0.0.1:21").startsWith("amifactory: --endpoint-url: 'ftp://127.0.0.1:21'"));
    }

    @Test
    void theSandboxRefusesOptionsItWouldIgnore() {
        assertEquals("amifactory: --sandbox starts its own emulator: leave out --endpoint-url",
                rejected("--sandbox", "--endpoint-url", proxy.endpoint().toString()));
        assertEquals("amifactory: --sandbox uses dummy credentials: leave out --profile",
                rejected("--sandbox", "--profile", "work"));
    }

    @Test
    void aRoleWithAnExternalIdIsAccepted(MotoServer moto) {
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        int code;
        try {
            code = AmiFactory.run(new String[] {"check", "--config", config.toString(), "--state",
                    dir.resolve("state.json").toString(), "--endpoint-url", proxy.endpoint().toString(),
                    "--role-arn", "arn:aws:iam::123456789012:role/ami-reader", "--external-id", "factory"},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertEquals(1, code, "runs, and /x does not exist: " + err);
        assertEquals(1, proxy.calls("sts:AssumeRole").size(), proxy.calls().toString());
    }

    /** Role assumption calls the STS of the partition the command works in, never us-east-1 from outside it. */
    @Test
    void aRoleIsAssumedInTheRegionTheCommandWorksIn() throws Exception {
        Path gov = Files.writeString(dir.resolve("gov.yaml"), "images:\n  - {name: a, parameter: /x}\n");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        StringWriter err = new StringWriter();
        try {
            AmiFactory.run(new String[] {"check", "--config", gov.toString(), "--region", "us-gov-west-1",
                    "--state", dir.resolve("state.json").toString(), "--endpoint-url", proxy.endpoint().toString(),
                    "--role-arn", "arn:aws-us-gov:iam::123456789012:role/ami-reader"},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        List<FaultProxy.Call> assumed = proxy.calls("sts:AssumeRole");
        assertEquals(1, assumed.size(), proxy.calls() + "\n" + err);
        assertEquals("us-gov-west-1", assumed.get(0).region(), "the credentials are checked before any other call");
    }

    @Test
    void proxyOptionSendsEveryCallThroughTheProxy(MotoServer moto) {
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            AmiFactory.run(new String[] {"check", "--config", config.toString(), "--state",
                    dir.resolve("state.json").toString(), "--endpoint-url", moto.endpoint().toString(),
                    "--proxy", proxy.endpoint().toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertEquals(1, proxy.calls("ssm:GetParameters").size(), proxy.calls() + "\n" + err);
    }

    @Test
    void proxyCredentialsAreRefusedOnTheCommandLineAndNeverRepeated() {
        String err = rejected("--endpoint-url", proxy.endpoint().toString(), "--proxy", "http://builder:s3cr3t-pw@proxy.corp.example:3128");
        assertTrue(err.contains("--proxy: give the proxy's user and password in HTTPS_PROXY"), err);
        assertFalse(err.contains("s3cr3t-pw"), err);
        err = rejected("--endpoint-url", proxy.endpoint().toString(), "--proxy", "socks5://builder:s3cr3t-pw@proxy:1080");
        assertEquals("amifactory: --proxy: a proxy URL starts with http:// or https://, not socks5://", err);
        assertEquals("amifactory: --sandbox runs the emulator on this machine: leave out --proxy",
                rejected("--sandbox", "--proxy", "http://proxy.corp.example:3128"));
    }
}
