package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.amifactory.engine.Json;
import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MotoExtension.class)
class CheckCommandTest {
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AmiFactory.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String yaml) throws Exception {
        Path f = dir.resolve("tracked.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private Run check(MotoServer moto, Path config, String... extra) {
        List<String> args = new ArrayList<>(List.of("check", "--config", config.toString(),
                "--state", dir.resolve("state.json").toString(), "--endpoint-url", moto.endpoint().toString()));
        args.addAll(List.of(extra));
        // Moto accepts any key; the test uses a profile-free static provider through the environment-free path.
        return withDummyKeys(() -> run(args.toArray(String[]::new)));
    }

    /** The CLI takes credentials from the SDK chain; system properties are part of it and keep tests hermetic. */
    private static Run withDummyKeys(java.util.function.Supplier<Run> r) {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            return r.get();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void printsATableAndSavesTheBaseline(MotoServer moto) throws Exception {
        Path cfg = config("images:\n  - name: al2023\n    parameter: " + AL2023 + "\n    regions: [us-east-1, eu-west-1]\n");
        Run r = check(moto, cfg);
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("IMAGE\\s+REGION\\s+AMI ID\\s+AMI NAME\\s+CREATED\\s+STATUS"), lines[0]);
        assertTrue(lines[1].matches("al2023\\s+us-east-1\\s+ami-[0-9a-f]+\\s+al2023-ami-\\S+\\s+\\d{4}-\\S+\\s+baseline"), lines[1]);
        assertTrue(lines[2].contains("eu-west-1"), lines[2]);
        assertTrue(Files.exists(dir.resolve("state.json")));
        assertTrue(r.err().contains("Checking 1 tracked image(s)"), r.err());
    }

    @Test
    void jsonReportsNewImagesAndTheirEventOnce(MotoServer moto, AwsClients aws) throws Exception {
        String first = aws.ssm("us-east-1").getParameter(b -> b.name(AL2023)).parameter().value();
        aws.ssm("us-east-1").putParameter(b -> b.name("/up/os").value(first).type("String"));
        Path cfg = config("images:\n  - {name: os, parameter: /up/os}\n");
        assertEquals(0, check(moto, cfg, "--region", "us-east-1").code());

        String second = aws.ssm("us-east-1").getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64")).parameter().value();
        aws.ssm("us-east-1").putParameter(b -> b.name("/up/os").value(second).type("String").overwrite(true));
        Run r = check(moto, cfg, "--region", "us-east-1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = Json.MAPPER.readTree(r.out());
        JsonNode result = json.get("results").get(0);
        assertEquals("new", result.get("status").asText());
        assertEquals(second, result.get("imageId").asText());
        assertEquals(first, result.get("previousImageId").asText());
        for (String field : List.of("image", "region", "imageId", "imageName", "creationDate", "previousImageId", "status", "error")) {
            assertTrue(result.has(field), field);
        }
        JsonNode event = json.get("events").get(0);
        assertEquals(second, event.get("v1").get("image").get("image_id").asText());
        assertEquals("/up/os", event.get("source").get("parameter").asText());

        Run again = check(moto, cfg, "--region", "us-east-1", "--json");
        JsonNode json2 = Json.MAPPER.readTree(again.out());
        assertEquals("unchanged", json2.get("results").get(0).get("status").asText());
        assertEquals(0, json2.get("events").size(), "an event printed once is not printed again");
    }

    @Test
    void exitsOneWhenSomePairsFailAndSavesTheOthers(MotoServer moto) throws Exception {
        Path cfg = config("defaults: {regions: [us-east-1]}\nimages:\n  - {name: ok, parameter: " + AL2023
                + "}\n  - {name: gone, parameter: /up/none}\n");
        Run r = check(moto, cfg);
        assertEquals(1, r.code());
        assertTrue(r.out().contains("error: parameter not found: /up/none"), r.out());
        String state = Files.readString(dir.resolve("state.json"));
        assertTrue(state.contains("\"ok\""), state);
    }

    @Test
    void invalidConfigExitsTwoNamingLineAndFieldAndSavesNothing(MotoServer moto) throws Exception {
        Path cfg = config("images:\n  - name: a\n    parameter: /x\n    regions: [us-esat-1x]\n");
        Run r = check(moto, cfg);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(cfg + ":4: images[0].regions[0]: 'us-esat-1x' is not an AWS region name"), r.err());
        assertFalse(Files.exists(dir.resolve("state.json")));
    }

    @Test
    void noRegionAnywhereExitsTwo(MotoServer moto) throws Exception {
        Run r = check(moto, config("images:\n  - {name: a, parameter: /x}\n"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no region for tracked image 'a'"), r.err());
        assertFalse(Files.exists(dir.resolve("state.json")));
    }

    @Test
    void badRegionOptionExitsTwo(MotoServer moto) throws Exception {
        Run r = check(moto, config("images:\n  - {name: a, parameter: /x}\n"), "--region", "eu-west");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--region: 'eu-west' is not an AWS region name"), r.err());
    }

    @Test
    void noCredentialsExitsTwoWithOneClearLine(MotoServer moto) throws Exception {
        Path cfg = config("images:\n  - {name: a, parameter: /x, regions: [us-east-1]}\n");
        Run r = run("check", "--config", cfg.toString(), "--state", dir.resolve("state.json").toString(),
                "--endpoint-url", moto.endpoint().toString(), "--profile", "no-such-profile");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("amifactory: No AWS credentials found"), r.err());
        assertTrue(r.err().contains("--sandbox"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("state.json")));
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        Run r = run("check");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--config=FILE'"), r.err());
    }

    @Test
    void sandboxRunsTheExampleWithoutAnAccount() throws Exception {
        Path example = Path.of("..", "examples", "tracked-images.yaml");
        Run r = run("check", "--sandbox", "--config", example.toString(), "--state", dir.resolve("s.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("al2023\\s+us-east-1\\s+ami-\\S+.*baseline")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("amazon-linux-2\\s+eu-west-1\\s+ami-\\S+\\s+amzn2-ami-hvm-.*baseline")), r.out());
    }
}
