package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.input.InputNode;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of {@code corpus/cases.yaml} (the format is described there) through the CLI with the SDK
 * pointed at a recording proxy in front of Moto: exit 2, the expected message naming field and line, no
 * AWS call, no state written. A control run of a valid file through the same harness shows that the
 * proxy does see the calls a command makes.
 */
@ExtendWith(MotoExtension.class)
class BadInputCorpusTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(file|valid|corpus|state|endpoint|dir)}");
    private static final Pattern NAMES_A_LINE = Pattern.compile("\\{file}:\\d+: ");

    @TempDir
    Path temp;
    private FaultProxy proxy;
    private Path corpus;

    static Path corpusSource() throws URISyntaxException {
        return Path.of(BadInputCorpusTest.class.getResource("/corpus/cases.yaml").toURI()).getParent();
    }

    static InputNode index() throws URISyntaxException {
        return InputNode.read(corpusSource().resolve("cases.yaml"));
    }

    static Stream<Arguments> cases() throws URISyntaxException {
        return index().get("cases").asList().stream().map(c -> Arguments.of(c.requiredString("id"), c));
    }

    @BeforeEach
    void start(MotoServer moto) throws Exception {
        proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none());
        corpus = temp.resolve("corpus");
        copyTree(corpusSource(), corpus);
        Files.createDirectories(temp.resolve("scratch"));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private Map<String, String> values(InputNode c) {
        String file = c.has("file") ? corpus.resolve(c.requiredString("file")).toString() : "";
        return Map.of("file", file, "valid", corpus.resolve("tracked/valid.yaml").toString(),
                "corpus", corpus.toString(), "state", temp.resolve("state/state.json").toString(),
                "endpoint", proxy.endpoint().toString(), "dir", temp.resolve("scratch").toString());
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        return m.appendTail(b).toString();
    }

    private List<String> args(InputNode c, Map<String, String> values) throws URISyntaxException {
        InputNode args = c.get("args");
        List<String> template = args != null ? args.asStringList()
                : c.has("file") ? index().get("commands").get("check-file").asStringList() : List.of();
        return template.stream().map(a -> fill(a, values)).toList();
    }

    record Run(int code, String out, String err) {
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            int code = AmiFactory.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedNamingFieldAndLineWithoutAnyAwsCall(String id, InputNode c) throws Exception {
        Map<String, String> values = values(c);
        List<String> expect = c.get("expect").asStringList();
        if (c.has("file") && !c.has("line")) {
            assertTrue(expect.stream().anyMatch(e -> NAMES_A_LINE.matcher(e).find()),
                    id + ": a file case must expect '{file}:LINE: ' (or say `line: none` and why)");
        }

        Run r = run(args(c, values));

        assertEquals(2, r.code(), id + ": exit code; stderr: " + r.err());
        for (String fragment : expect) {
            assertTrue(r.err().contains(fill(fragment, values)), id + ": expected «" + fill(fragment, values)
                    + "» in: " + r.err());
        }
        assertEquals(List.of(), proxy.calls(), id + ": AWS calls made");
        assertEquals(List.of(), proxy.log().mutating(), id + ": mutating calls made");
        assertFalse(Files.exists(Path.of(values.get("state"))), id + ": a state file was written");
        try (Stream<Path> written = Files.list(Path.of(values.get("dir")))) {
            assertEquals(List.of(), written.toList(), id + ": something was written to the scratch folder");
        }
        assertCorpusUnchanged(id);
    }

    /** The harness does see calls: the valid file with the `check-file` command line resolves through the proxy. */
    @Test
    void theSameHarnessSeesTheCallsOfAValidRun() throws Exception {
        Map<String, String> values = new java.util.HashMap<>(values(InputNode.ofValue("control", Map.of())));
        values.put("file", values.get("valid"));
        List<String> args = index().get("commands").get("check-file").asStringList().stream()
                .map(a -> fill(a, values)).toList();
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        assertFalse(proxy.calls().isEmpty());
        assertTrue(Files.exists(Path.of(values.get("state"))));
    }

    @Test
    void theCorpusCoversEveryFormatAndUsesEveryFile() throws Exception {
        List<InputNode> cases = index().get("cases").asList();
        assertTrue(cases.size() >= 20, "at least 20 cases: " + cases.size());
        Set<String> ids = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (InputNode c : cases) {
            assertTrue(ids.add(c.requiredString("id")), "duplicate id " + c.requiredString("id"));
            kinds.add(c.requiredString("kind"));
            if (c.has("file")) {
                files.add(c.requiredString("file"));
            }
            for (String a : c.has("args") ? c.get("args").asStringList() : List.<String>of()) {
                Matcher m = Pattern.compile("\\{corpus}/(\\S+)").matcher(a);
                if (m.find()) {
                    files.add(m.group(1));
                }
            }
        }
        for (String kind : List.of("tracked-images/seed-004/yaml", "tracked-images/seed-004/json",
                "tracked-images/native/yaml", "tracked-images/native/json", "cli/check", "cli/global",
                "build-spec/native/yaml", "build-spec/native/json", "build-spec/seed-001/json", "build-spec/seed-001/yaml",
                "cli/build", "cli/share", "cli/prune", "cli/latest", "cli/reap")) {
            assertTrue(kinds.contains(kind), "no case of kind " + kind);
        }
        List<String> unused = new ArrayList<>();
        Path source = corpusSource();
        try (Stream<Path> all = Files.walk(source)) {
            all.filter(Files::isRegularFile).map(p -> source.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("cases.yaml") && !p.equals("tracked/valid.yaml") && !files.contains(p))
                    .forEach(unused::add);
        }
        assertEquals(List.of(), unused, "corpus files no case uses");
    }

    private void assertCorpusUnchanged(String id) throws IOException, URISyntaxException {
        Path source = corpusSource();
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                Path copy = corpus.resolve(source.relativize(p).toString());
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(copy), id + ": changed " + copy);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
