package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.Tags;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.build.BuildMachine;
import io.amifactory.engine.build.BuildRecord;
import io.amifactory.engine.build.BuildServices;
import io.amifactory.engine.build.FileBuildRecordStore;
import io.amifactory.engine.build.Step;
import io.amifactory.engine.build.spec.BuildSpec;
import io.amifactory.engine.build.spec.BuildSpecReader;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Instance;

/** {@code amifactory build} through {@link AmiFactory#run}, against Moto. */
@ExtendWith(MotoExtension.class)
class BuildCommandTest {
    static final String SPEC = """
            builds:
              - name: web
                imageName: "web-{timestamp}"
                source:
                  filters: {name: "amzn2-ami-hvm-*-x86_64-gp2"}
                  owners: [amazon]
                userData: |
                  #!/bin/bash
                  yum install -y nginx
                completion: stop
                copies: [us-west-2]
                publish: /amifactory/{name}/latest
            """;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    @BeforeEach
    void dummyKeys() {
        // The CLI takes credentials from the SDK chain; system properties are part of it and keep tests hermetic.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterEach
    void clearKeys() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AmiFactory.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path spec(String yaml) throws Exception {
        Path f = dir.resolve("spec.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private Run build(MotoServer moto, Path spec, String... extra) {
        List<String> args = new ArrayList<>(List.of("build", "--spec", spec.toString(), "--region", "us-east-1",
                "--state-dir", dir.resolve("states").toString(), "--endpoint-url", moto.endpoint().toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static List<Instance> instances(AwsClients aws) {
        List<Instance> out = new ArrayList<>();
        aws.ec2("us-east-1").describeInstances().reservations().forEach(r -> out.addAll(r.instances()));
        return out;
    }

    /** Stands in for the customisation finishing: stops each build instance once it runs (Moto never does). */
    private static Thread stopper(AwsClients aws, AtomicBoolean done) {
        Thread t = new Thread(() -> {
            while (!done.get()) {
                for (Instance i : instances(aws)) {
                    boolean build = i.tags().stream().anyMatch(tag -> tag.key().equals(Tags.ROLE));
                    if (build && i.state().nameAsString().equals("running")) {
                        aws.ec2("us-east-1").stopInstances(b -> b.instanceIds(i.instanceId()));
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aSpecIsBuiltEndToEndWithJsonOutputAndAStateFile(MotoServer moto, AwsClients aws) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread stopper = stopper(aws, done);
        Run r;
        try {
            r = build(moto, spec(SPEC), "--json");
        } finally {
            done.set(true);
            stopper.join();
        }
        assertEquals(0, r.code(), r.err());
        JsonNode b = r.json().get("builds").get(0);
        assertEquals("web", b.get("name").asText());
        assertEquals("succeeded", b.get("status").asText());
        assertTrue(b.get("sourceImage").asText().startsWith("ami-"));
        String east = b.get("images").get("us-east-1").asText();
        String west = b.get("images").get("us-west-2").asText();
        assertTrue(b.get("error").isNull());
        assertEquals(east, aws.ssm("us-east-1").getParameter(p -> p.name("/amifactory/web/latest")).parameter().value());
        assertEquals(west, aws.ssm("us-west-2").getParameter(p -> p.name("/amifactory/web/latest")).parameter().value());
        String instance = b.get("buildInstance").asText();
        assertEquals("terminated", aws.ec2("us-east-1").describeInstances(d -> d.instanceIds(instance)).reservations()
                .get(0).instances().get(0).state().nameAsString());
        Path state = Path.of(b.get("stateFile").asText());
        assertTrue(state.startsWith(dir.resolve("states")));
        assertTrue(FileBuildRecordStore.load(state).isFinished());
        assertTrue(r.err().contains("[web 00:0"), "progress lines with elapsed time and phase:\n" + r.err());
        assertTrue(r.err().contains("customise]"), r.err());
        assertFalse(r.err().contains("yum install"), "user data never printed");

        Run again = run("build", "--resume", state.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("succeeded") && again.out().contains(east), again.out());
    }

    @Test
    void anInvalidSpecExitsTwoNamingTheFieldAndLaunchesNothing(MotoServer moto, AwsClients aws) throws Exception {
        Run r = build(moto, spec(SPEC.replace("copies: [us-west-2]", "copies: [us-west-2]\n    share: {accounts: [\"CHANGEME\"]}")));
        assertEquals(2, r.code());
        assertEquals("amifactory: " + dir.resolve("spec.yaml") + ":12: builds[0].share.accounts[0]: must be a 12-digit "
                + "AWS account id, not 'CHANGEME'", r.err().trim());
        assertEquals(List.of(), instances(aws));
    }

    @Test
    void aBuildThatStopsAtItsChecksExitsTwo(MotoServer moto, AwsClients aws) throws Exception {
        Run r = build(moto, spec(SPEC.replace("""
                    source:
                      filters: {name: "amzn2-ami-hvm-*-x86_64-gp2"}
                      owners: [amazon]
                """, "    source: ami-0123456789abcdef0\n")), "--json");
        assertEquals(2, r.code(), r.err());
        JsonNode b = r.json().get("builds").get(0);
        assertEquals("failed", b.get("status").asText());
        assertEquals("resolve", b.get("failedPhase").asText());
        assertTrue(b.get("error").asText().contains("ami-0123456789abcdef0 does not exist in us-east-1"), b.toString());
        assertEquals(List.of(), instances(aws));
    }

    @Test
    void aDryRunCreatesNothing(MotoServer moto, AwsClients aws) throws Exception {
        Run r = build(moto, spec(SPEC), "--dry-run", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("dry-run", r.json().get("builds").get(0).get("status").asText());
        assertTrue(r.err().contains("RunInstances in us-east-1: allowed (EC2 dry run)"), r.err());
        assertTrue(r.err().contains("would copy it to us-west-2"), r.err());
        assertEquals(List.of(), instances(aws));
        assertEquals(List.of(), aws.ec2("us-east-1").describeImages(d -> d.owners("self")).images());
        assertFalse(Files.exists(dir.resolve("states")), "a dry run keeps no state");
    }

    @Test
    void usageErrorsExitTwo(MotoServer moto) throws Exception {
        Path s = spec(SPEC);
        assertEquals(2, run("build").code());
        assertEquals(2, run("build", "--spec", s.toString(), "--resume", s.toString()).code());
        assertEquals(2, run("build", "--spec", s.toString(), "--abort").code());
        Run only = build(moto, s, "--only", "db");
        assertEquals(2, only.code());
        assertTrue(only.err().contains("--only db: " + s + " has no build named so (it has web)"), only.err());
        Run garbage = run("build", "--resume", s.toString());
        assertEquals(2, garbage.code());
        assertTrue(garbage.err().contains("--resume: "), garbage.err());
    }

    /** Starts a build in this JVM as if in another process, and leaves it where a crash would. */
    private Path startAndDie(AwsClients aws, Path specFile) throws Exception {
        BuildSpec s = new BuildSpecReader("us-east-1").read(specFile).get(0);
        Clock clock = Clock.systemUTC();
        BuildRecord record = BuildRecord.start(s, "cli", clock)
                .withSpecOrigin(specFile.toAbsolutePath().toString(), BuildCommand.digest(specFile));
        FileBuildRecordStore store = FileBuildRecordStore.inDirectory(dir.resolve("states"), record.buildId());
        BuildMachine m = new BuildMachine(s, record, BuildServices.of(aws, store), line -> { }, clock);
        while (m.record().instanceId() == null) {
            Step step = m.step();
            assertFalse(step.isDone(), String.valueOf(step.result()));
        }
        return store.file();
    }

    @Test
    void resumeContinuesABuildWhoseProcessDied(MotoServer moto, AwsClients aws) throws Exception {
        Path specFile = spec(SPEC);
        Path state = startAndDie(aws, specFile);
        String instance = FileBuildRecordStore.load(state).instanceId();
        aws.ec2("us-east-1").stopInstances(b -> b.instanceIds(instance)); // the customisation finished meanwhile
        Run r = run("build", "--resume", state.toString(), "--endpoint-url", moto.endpoint().toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("succeeded", r.json().get("builds").get(0).get("status").asText());
        assertEquals(instance, r.json().get("builds").get(0).get("buildInstance").asText());
        assertEquals(1, instances(aws).size(), "no second instance");
        assertTrue(r.err().contains("resuming build"), r.err());
    }

    @Test
    void resumeWithAbortCleansUp(MotoServer moto, AwsClients aws) throws Exception {
        Path state = startAndDie(aws, spec(SPEC));
        Run r = run("build", "--resume", state.toString(), "--abort", "--endpoint-url", moto.endpoint().toString(), "--json");
        assertEquals(1, r.code(), r.err());
        JsonNode b = r.json().get("builds").get(0);
        assertEquals("aborted", b.get("status").asText());
        assertEquals("terminated", instances(aws).get(0).state().nameAsString());
    }

    @Test
    void aBuildWhoseSpecChangedIsCleanedUpNotContinued(MotoServer moto, AwsClients aws) throws Exception {
        Path specFile = spec(SPEC);
        Path state = startAndDie(aws, specFile);
        Files.writeString(specFile, SPEC.replace("nginx", "httpd"));
        Run r = run("build", "--resume", state.toString(), "--endpoint-url", moto.endpoint().toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("changed since the build started"), r.err());
        assertTrue(r.out().contains("aborted"), r.out());
        assertEquals("terminated", instances(aws).get(0).state().nameAsString());
    }

    @Test
    void aTrackedImageSourceIsResolvedThroughTheTrackedImagesFile(MotoServer moto, AwsClients aws) throws Exception {
        String al2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        Path tracked = dir.resolve("tracked.yaml");
        Files.writeString(tracked, "images:\n  - name: al2023\n    parameter: " + al2023 + "\n");
        Path s = spec("name: web\nimageName: \"web-{tracked}-{timestamp}\"\nsource: al2023\nuserData: \"#!/bin/sh\\necho\"\n");
        Run r = build(moto, s, "--dry-run", "--json", "--tracked-images", tracked.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode b = r.json().get("builds").get(0);
        assertEquals(aws.ssm("us-east-1").getParameter(p -> p.name(al2023)).parameter().value(), b.get("sourceImage").asText());
        assertTrue(b.get("imageName").asText().startsWith("web-al2023-"), b.toString());

        Run without = build(moto, s, "--dry-run");
        assertEquals(2, without.code());
        assertTrue(without.out().contains("no tracked image named 'al2023'"), without.out());
    }
}
