package io.amifactory.engine.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Moto, a third-party AWS emulator, run as a child process on a free loopback port. Used by
 * {@code amifactory --sandbox} and by the integration tests; never by anything that talks to real AWS.
 */
public final class MotoServer implements AutoCloseable {
    public static final String INSTALL_HINT = "Moto is not installed: install it with pip install 'moto[server]'";

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Moto and waits until it answers; fails with {@link #INSTALL_HINT} when it is missing. */
    public static MotoServer start() throws IOException {
        String python = System.getenv().getOrDefault("AMIFACTORY_PYTHON", "python3");
        checkInstalled(python);
        int port = freePort();
        Path log = Files.createTempFile("amifactory-moto", ".log");
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The emulator must not see the caller's AWS settings (a region or endpoint variable changes its answers).
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        Process p = pb.start();
        MotoServer server = new MotoServer(p, port, log);
        try {
            server.awaitReady(Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void checkInstalled(String python) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(python, "-c", "import moto.server").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(INSTALL_HINT + " (no " + python + " found: " + e.getMessage() + ")", e);
        }
        try {
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(INSTALL_HINT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking for Moto", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Moto exited at start: " + tail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() < 500) {
                    c.disconnect();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting Moto", e);
            }
        }
        throw new IOException("Moto did not answer within " + timeout.toSeconds() + " s: " + tail());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Forgets every resource: {@code POST /moto-api/reset}. */
    public void reset() throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        if (code >= 300) {
            throw new IOException("Moto reset answered HTTP " + code);
        }
    }

    private String tail() {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() > 800 ? s.substring(s.length() - 800) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file; the OS cleans it up
        }
    }
}
