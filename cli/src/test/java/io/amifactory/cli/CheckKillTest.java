package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import io.amifactory.engine.track.Ledger;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@code amifactory check} as a child JVM, killed with SIGKILL (no shutdown hook, no finally block runs)
 * at two points, then run again: while an AWS call is in flight (holding the state file's lock), and after
 * the state file was saved but before the release events were acknowledged. The second point is reached
 * without a seam: the command prints more than a pipe holds, and the test does not read the pipe, so the
 * child is stuck printing — after the save, before the first acknowledgement — until it is killed.
 */
@ExtendWith(MotoExtension.class)
class CheckKillTest {
    private static final String REGION = "us-east-1";
    private static final String X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    private static final String ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
    /** Enough images that the JSON output (about 1 KB per image) is several times a 64 KiB pipe. */
    private static final int IMAGES = 200;

    @TempDir
    Path dir;
    private FaultProxy proxy;
    private Path config;
    private Path state;
    private String release2;

    @BeforeEach
    void upstream(MotoServer moto, AwsClients aws) throws Exception {
        proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
        String release1 = aws.ssm(REGION).getParameter(b -> b.name(X86)).parameter().value();
        release2 = aws.ssm(REGION).getParameter(b -> b.name(ARM)).parameter().value();
        StringBuilder yaml = new StringBuilder("defaults: {regions: [" + REGION + "]}\nimages:\n");
        for (int i = 0; i < IMAGES; i++) {
            String name = "/vendor/os-" + i + "/latest";
            aws.ssm(REGION).putParameter(b -> b.name(name).value(release1).type(ParameterType.STRING));
            yaml.append("  - {name: os-").append(i).append(", parameter: ").append(name).append("}\n");
        }
        config = Files.writeString(dir.resolve("tracked.yaml"), yaml);
        state = dir.resolve("state").resolve("state.json");
        assertEquals(0, inProcess().code(), "the baseline");
        for (int i = 0; i < IMAGES; i++) {
            String name = "/vendor/os-" + i + "/latest";
            aws.ssm(REGION).putParameter(b -> b.name(name).value(release2).type(ParameterType.STRING).overwrite(true));
        }
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private List<String> args() {
        return List.of("check", "--config", config.toString(), "--state", state.toString(),
                "--endpoint-url", proxy.endpoint().toString(), "--json");
    }

    record Result(int code, JsonNode json, String err) {
        Set<String> eventIds() {
            Set<String> ids = new HashSet<>();
            json.get("events").forEach(e -> ids.add(e.get("id").asText()));
            return ids;
        }

        long count(String status) {
            long n = 0;
            for (JsonNode r : json.get("results")) {
                n += r.get("status").asText().equals(status) ? 1 : 0;
            }
            return n;
        }
    }

    private Result inProcess() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            int code = AmiFactory.run(args().toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            return new Result(code, code == 2 ? null : Json.MAPPER.readTree(out.toString()), err.toString());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** The CLI in its own JVM; its standard output is a pipe this test does not read. */
    private Process child() throws Exception {
        return ChildCli.of(dir, args()).start();
    }

    private static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Unix
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    private List<String> stateFolder() throws Exception {
        try (Stream<Path> files = Files.list(state.getParent())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void killedWhileACallIsInFlightTheRerunFiresEveryReleaseOnce() throws Exception {
        byte[] before = Files.readAllBytes(state);
        FaultProxy.Hold hold = proxy.hold("ssm:GetParameters");
        Process p = child();
        try {
            assertTrue(hold.awaitArrival(Duration.ofSeconds(120)), "the child reached AWS: " + stderr());
            kill9(p);
        } finally {
            hold.release();
            p.destroyForcibly();
        }
        assertArrayEquals(before, Files.readAllBytes(state), "nothing was saved");
        assertEquals(List.of("state.json", "state.json.lock"), stateFolder());

        Result rerun = inProcess();
        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(IMAGES, rerun.count("new"), "the lock died with the process; every release is detected");
        assertEquals(IMAGES, rerun.eventIds().size());
        Result third = inProcess();
        assertEquals(IMAGES, third.count("unchanged"));
        assertEquals(0, third.json().get("events").size(), "nothing fires twice");
    }

    @Test
    void killedAfterSavingButBeforeAcknowledgingTheRerunHandsTheSameEventsOutOnce() throws Exception {
        Process p = child();
        Ledger ledger = new Ledger(state);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (ledger.pendingEvents().size() < IMAGES) {
                assertTrue(System.nanoTime() < deadline && p.isAlive(), "the child never saved its events: " + stderr());
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "the child is stuck printing, before any acknowledgement");
            kill9(p);
        } finally {
            p.destroyForcibly();
        }
        Set<String> pending = new HashSet<>();
        ledger.pendingEvents().forEach(e -> pending.add(e.id()));
        assertEquals(IMAGES, pending.size(), "no event was acknowledged");
        assertEquals(List.of("state.json", "state.json.lock"), stateFolder());

        Result rerun = inProcess();
        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(IMAGES, rerun.count("unchanged"), "nothing is detected a second time");
        assertEquals(pending, rerun.eventIds(), "the saved events are handed out again, same ids");
        rerun.json().get("events").forEach(e -> assertEquals(release2, e.get("imageId").asText()));
        Result third = inProcess();
        assertEquals(0, third.json().get("events").size(), "acknowledged once printed: not handed out again");
    }

    private String stderr() {
        File f = dir.resolve("child-stderr.txt").toFile();
        try {
            return f.exists() ? Files.readString(f.toPath()) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
