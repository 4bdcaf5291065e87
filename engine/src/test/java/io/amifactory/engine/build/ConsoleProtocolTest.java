package io.amifactory.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion protocol: the wrapper script, and reading its markers off a moving console window. */
class ConsoleProtocolTest {
    private static final String ID = "web-20260301-100000-abc123";

    @Test
    void consoleOutputIsBase64FromEc2AndPlainFromEmulators() {
        String text = "Linux version 6.1\nhello\n";
        assertEquals(text, ConsoleLog.decode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
        assertEquals(text, ConsoleLog.decode(text));
        assertEquals("", ConsoleLog.decode(null));
    }

    @Test
    void onlyNewLinesAreReportedAsTheWindowMoves() {
        ConsoleLog.Update first = ConsoleLog.read("boot 1\nboot 2\nstep a\nhalf a li", List.of(), ID, false);
        assertEquals(List.of("boot 1", "boot 2", "step a"), first.lines(), "a line still being written waits");

        // The window moved: the oldest line fell out, the half line is complete, more came.
        ConsoleLog.Update second = ConsoleLog.read("boot 2\nstep a\nhalf a line\nstep b\n", first.tail(), ID, false);
        assertEquals(List.of("half a line", "step b"), second.lines());

        ConsoleLog.Update same = ConsoleLog.read("boot 2\nstep a\nhalf a line\nstep b\n", second.tail(), ID, false);
        assertEquals(List.of(), same.lines());

        ConsoleLog.Update last = ConsoleLog.read("step b\nfinal words", second.tail(), ID, true);
        assertEquals(List.of("final words"), last.lines(), "once stopped, the last line counts");
    }

    @Test
    void markersOfThisBuildAreFoundAndOthersIgnored() {
        String console = "x\nAMIFACTORY:other-build:EXIT:0\n[  12.3] AMIFACTORY:" + ID + ":START\nwork\n"
                + "AMIFACTORY:" + ID + ":EXIT:7\n";
        ConsoleLog.Update u = ConsoleLog.read(console, List.of(), ID, false);
        assertTrue(u.started());
        assertEquals(7, u.exitCode());
        ConsoleLog.Update none = ConsoleLog.read("AMIFACTORY:other-build:EXIT:0\n", List.of(), ID, false);
        assertNull(none.exitCode());
        assertFalse(none.started());
    }

    @Test
    void controlCharactersAreStripped() {
        ConsoleLog.Update u = ConsoleLog.read("\u001B[32mgreen\u001B[0m\u0007bell\n", List.of(), ID, false);
        assertEquals(List.of("green bell"), u.lines());
    }

    @Test
    void theWrapperKeepsTheScriptIntactEvenIfItContainsAHeredocDelimiter() {
        String nasty = "#!/bin/bash\ncat <<'EOF'\n$HOME `x` 'q' \"d\" %s %n \\\nEOF\n"
                + "AMIFACTORY_SCRIPT_END_" + CustomisationScript.shortHash(ID) + "\n";
        String wrapped = CustomisationScript.forScript(ID, nasty);
        assertTrue(wrapped.contains(nasty), "verbatim");
        assertTrue(wrapped.contains("<<'AMIFACTORY_SCRIPT_END_" + CustomisationScript.shortHash(ID) + "_1'"), wrapped);
    }

    /**
     * Runs the real wrapper in bash with the devices and paths pointed into a temporary folder and the power-off
     * taken out: the markers and the exit status come out as the protocol says.
     */
    @Test
    void theWrapperReportsTheScriptsExitStatusBetweenMarkers(@TempDir Path dir) throws Exception {
        assertEquals(List.of("AMIFACTORY:" + ID + ":START", "doing work", "AMIFACTORY:" + ID + ":EXIT:3"),
                runWrapped(dir, "#!/bin/sh\necho doing work\nexit 3\n"));
        Path other = Files.createDirectory(dir.resolve("b"));
        assertEquals(List.of("AMIFACTORY:" + ID + ":START", "no shebang", "AMIFACTORY:" + ID + ":EXIT:0"),
                runWrapped(other, "echo no shebang\n"));
    }

    private static List<String> runWrapped(Path dir, String script) throws Exception {
        Path console = Files.createFile(dir.resolve("console"));
        Path cloud = Files.createDirectories(dir.resolve("cloud/scripts"));
        Files.writeString(dir.resolve("cloud/user-data.txt"), "secret user data");
        String sandboxed = CustomisationScript.forScript(ID, script)
                .replace("/dev/console", console.toString())
                .replace("/dev/ttyS0", dir.resolve("no-such-tty").toString())
                .replace("/var/tmp/", dir + "/")
                .replace("/var/lib/cloud/instance/scripts/", cloud + "/")
                .replace("/var/lib/cloud/instance/", dir.resolve("cloud") + "/")
                .replace("shutdown -h now || poweroff", "true");
        assertFalse(sandboxed.contains("shutdown") || sandboxed.contains("poweroff") || sandboxed.contains("/dev/console")
                        || sandboxed.contains("/dev/ttyS0") || sandboxed.contains("/var/"),
                "the sandboxed wrapper must not touch the machine running the test");
        Path wrapper = dir.resolve("wrapper.sh");
        Files.writeString(wrapper, sandboxed);
        Process p = new ProcessBuilder("bash", wrapper.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "wrapper finished");
        assertEquals(0, p.exitValue(), out);
        assertFalse(Files.exists(dir.resolve("cloud/user-data.txt")), "cloud-init's copy of the user data is removed");
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("amifactory.")), "the script is removed");
        }
        return Files.readAllLines(console).stream().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void theBootstrapWrapperFetchesWithCurlOrTheAwsCli() {
        String s3 = CustomisationScript.forBootstrapUrl(ID, "s3://my-bucket/scripts/web.sh");
        assertTrue(s3.contains("url='s3://my-bucket/scripts/web.sh'"));
        assertTrue(s3.contains("aws s3 cp"));
        assertTrue(s3.contains("curl -fsSL"));
    }
}
