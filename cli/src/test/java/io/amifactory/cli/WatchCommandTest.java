package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.Eventually;
import io.amifactory.engine.testkit.MotoExtension;
import io.amifactory.engine.testkit.SnsToSqs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@code amifactory watch} against Moto's SSM, EC2, SNS and SQS: a queue subscribed to a topic, a tracked image
 * naming the queue, and an interval of an hour, so that only a message can explain a release reported during
 * the test.
 */
@ExtendWith(MotoExtension.class)
class WatchCommandTest {
    private static final String REGION = "us-east-1";
    private static final String X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    private static final String ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

    @TempDir
    Path dir;
    private SnsToSqs sns;
    private String release1;
    private String release2;

    /** A running {@code watch}, in a thread of this JVM; interrupting the thread is what Ctrl-C does. */
    private final class Running {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Thread thread;
        volatile int code = -1;

        Running(String... args) {
            thread = new Thread(() -> code = AmiFactory.run(args, new PrintWriter(out, true), new PrintWriter(err, true)),
                    "watch-under-test");
            thread.start();
        }

        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(60_000);
            assertFalse(thread.isAlive(), "watch stopped: " + err);
            return code;
        }

        List<String> outLines() {
            return Arrays.stream(out.toString().split("\n")).filter(l -> !l.isBlank()).toList();
        }
    }

    @BeforeEach
    void upstream(MotoServer moto, AwsClients aws) {
        // The CLI takes credentials from the SDK chain; system properties are part of it and keep tests hermetic.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        sns = SnsToSqs.on(moto, REGION);
        release1 = aws.ssm(REGION).getParameter(b -> b.name(X86)).parameter().value();
        release2 = aws.ssm(REGION).getParameter(b -> b.name(ARM)).parameter().value();
        aws.ssm(REGION).putParameter(b -> b.name("/up/os").value(release1).type(ParameterType.STRING));
        aws.ssm(REGION).putParameter(b -> b.name("/up/other").value(release1).type(ParameterType.STRING));
    }

    @AfterEach
    void clear() {
        sns.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("tracked.yaml"), yaml);
    }

    private String state() {
        try {
            Path f = dir.resolve("state.json");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aPublishMakesWatchReportTheReleaseAtOnceAndRepeatedOrGarbledMessagesReportNothing(MotoServer moto, AwsClients aws)
            throws Exception {
        SqsClient sqs = aws.sqs(REGION);
        SnsToSqs.Subscription q = sns.subscribedQueue(sqs, "al2023-updates");
        Path cfg = config("images:\n  - name: os\n    parameter: /up/os\n    regions: [us-east-1]\n"
                + "    notificationQueue: " + q.queueUrl() + "\n");
        Running w = new Running("watch", "--config", cfg.toString(), "--state", dir.resolve("state.json").toString(),
                "--endpoint-url", moto.endpoint().toString(), "--json", "--interval", "1h");
        Eventually.await("the baseline is recorded", () -> state().contains(release1), w.err::toString);

        aws.ssm(REGION).putParameter(b -> b.name("/up/os").value(release2).type(ParameterType.STRING).overwrite(true));
        sns.publish(q, "{\"v1\":{\"Message\":\"A new version of the al2023 has been released.\"}}");
        Eventually.await("the release is printed", () -> w.out.toString().contains(release2), w.err::toString);
        List<String> lines = w.outLines();
        assertEquals(1, lines.size(), w.out.toString());
        JsonNode event = Json.MAPPER.readTree(lines.get(0));
        assertEquals("os", event.get("trackedImage").asText());
        assertEquals(release2, event.get("imageId").asText());
        assertEquals(release1, event.get("previousImageId").asText());
        assertEquals(release2, event.get("v1").get("image").get("image_id").asText(), "seed 004's event, as check prints it");
        assertTrue(w.err.toString().contains("notification queue " + q.queueUrl() + ": 1 message(s); checking os"), w.err.toString());
        Eventually.await("the message is deleted", () -> SnsToSqs.messagesLeft(sqs, q.queueUrl()) == 0, w.err::toString);

        sns.publish(q, "{\"v1\":{\"Message\":\"A new version of the al2023 has been released.\"}}");
        sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody("\u00ff garbled {{{ not json"));
        Eventually.await("both are handled and deleted", () -> SnsToSqs.messagesLeft(sqs, q.queueUrl()) == 0
                && count(w.err.toString(), "message(s); checking os") >= 2, w.err::toString);
        assertEquals(1, w.outLines().size(), "nothing more is reported: " + w.out);

        assertEquals(ExitCode.STOPPED, w.stop());
        assertTrue(w.err.toString().contains("notification queue " + q.queueUrl() + ": "), w.err.toString());
        assertTrue(w.err.toString().trim().endsWith("amifactory watch: stopped"), w.err.toString());
    }

    @Test
    void aQueueThatIsGoneIsNamedWithItsReasonWhilePollingAndTheOtherQueuesGoOn(MotoServer moto, AwsClients aws)
            throws Exception {
        SqsClient sqs = aws.sqs(REGION);
        SnsToSqs.Subscription q = sns.subscribedQueue(sqs, "vendor-updates");
        String gone = moto.endpoint() + "/123456789012/deleted-long-ago";
        Path cfg = config("images:\n"
                + "  - {name: os, parameter: /up/os, regions: [us-east-1], notificationQueue: " + gone + "}\n"
                + "  - {name: other, parameter: /up/other, regions: [us-east-1], notificationQueue: " + q.queueUrl() + "}\n");
        Running w = new Running("watch", "--config", cfg.toString(), "--state", dir.resolve("state.json").toString(),
                "--endpoint-url", moto.endpoint().toString(), "--interval", "1h");
        Eventually.await("the gone queue is reported", () -> w.err.toString().contains("notification queue " + gone
                + ": the queue does not exist (AWS.SimpleQueueService.NonExistentQueue"), w.err::toString);
        Eventually.await("the poll went on", () -> state().contains("\"os\"") && state().contains("\"other\""), w.err::toString);
        assertTrue(w.thread.isAlive(), "still watching");

        aws.ssm(REGION).putParameter(b -> b.name("/up/other").value(release2).type(ParameterType.STRING).overwrite(true));
        sns.publish(q, "new vendor image");
        Eventually.await("the release is printed", () -> w.out.toString().contains(release2), w.err::toString);
        List<String> lines = w.outLines();
        assertTrue(lines.get(0).matches("DETECTED\\s+VIA\\s+IMAGE\\s+REGION\\s+AMI ID\\s+PREVIOUS\\s+AMI NAME"), lines.get(0));
        assertTrue(lines.get(1).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+push\\s+other\\s+us-east-1\\s+" + release2 + "\\s+"
                + release1 + "\\s+al2023-ami-\\S+"), lines.get(1));
        assertEquals(2, lines.size());
        assertEquals(ExitCode.STOPPED, w.stop());
        assertTrue(w.err.toString().contains("  last error, at "), w.err.toString());
    }

    @Test
    void aDeniedQueueIsNamedWithTheMissingPermissionsWhilePollingGoesOn(MotoServer moto, AwsClients aws) throws Exception {
        String url = aws.sqs(REGION).createQueue(b -> b.queueName("not-ours")).queueUrl();
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(),
                FaultPlan.none().inject("sqs:*", FaultPlan.Fault.ACCESS_DENIED, 1.0))) {
            Path cfg = config("images:\n  - {name: os, parameter: /up/os, regions: [us-east-1], notificationQueue: "
                    + url + "}\n");
            Running w = new Running("watch", "--config", cfg.toString(), "--state", dir.resolve("state.json").toString(),
                    "--endpoint-url", proxy.endpoint().toString(), "--interval", "1h");
            Eventually.await("the denial is reported", () -> w.err.toString().contains("notification queue " + url
                    + ": access denied: the factory's credentials need sqs:ReceiveMessage, sqs:DeleteMessage and "
                    + "sqs:GetQueueAttributes on it (AccessDenied"), w.err::toString);
            Eventually.await("the poll went on", () -> state().contains(release1), w.err::toString);
            assertEquals(ExitCode.STOPPED, w.stop());
        }
    }

    @Test
    void aMalformedQueueUrlExitsTwoNamingFileLineAndFieldWithoutAnyCall(MotoServer moto) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            Path cfg = config("images:\n  - name: os\n    parameter: /up/os\n"
                    + "    notificationQueue: sqs.us-east-1.amazonaws.com/123456789012/q\n");
            StringWriter err = new StringWriter();
            int code = AmiFactory.run(new String[] {"watch", "--config", cfg.toString(), "--endpoint-url",
                    proxy.endpoint().toString(), "--state", dir.resolve("state.json").toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(ExitCode.INVALID, code);
            assertTrue(err.toString().startsWith("amifactory: " + cfg + ":4: images[0].notificationQueue: "
                    + "'sqs.us-east-1.amazonaws.com/123456789012/q' is not an SQS queue URL"), err.toString());
            assertEquals(List.of(), proxy.calls(), "nothing was sent");
            assertFalse(Files.exists(dir.resolve("state.json")));
        }
    }

    @Test
    void anIntervalOutOfRangeExitsTwo() throws Exception {
        Path cfg = config("images:\n  - {name: os, parameter: /up/os, regions: [us-east-1]}\n");
        for (String interval : List.of("10s", "2d", "soon")) {
            StringWriter err = new StringWriter();
            int code = AmiFactory.run(new String[] {"watch", "--config", cfg.toString(), "--interval", interval},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(ExitCode.INVALID, code, err.toString());
            assertTrue(err.toString().contains("--interval: "), err.toString());
        }
    }

    @Test
    void sigtermStopsTheWatchAfterItsCheckWithExitCode143(MotoServer moto) throws Exception {
        Path cfg = config("images:\n  - {name: os, parameter: /up/os, regions: [us-east-1]}\n");
        Path stderr = dir.resolve("child-stderr.txt");
        ProcessBuilder pb = ChildCli.of(dir, List.of("watch", "--config", cfg.toString(), "--state",
                dir.resolve("state.json").toString(), "--endpoint-url", moto.endpoint().toString(), "--interval", "1h"))
                .redirectOutput(dir.resolve("child-stdout.txt").toFile());
        Process p = pb.start();
        try {
            Eventually.await("the child checked once", () -> state().contains(release1), () -> read(stderr));
            p.destroy(); // SIGTERM, as a service manager stops it; Ctrl-C (SIGINT) takes the same path with 130
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it stops");
            assertEquals(143, p.exitValue(), read(stderr));
            assertTrue(read(stderr).trim().endsWith("amifactory watch: stopped"), read(stderr));
            assertTrue(read(dir.resolve("child-stdout.txt")).startsWith("DETECTED"), "the header was printed");
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
