package io.jenkins.plugins.amifactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An AWS endpoint on loopback that answers every call "access denied" (which the SDK does not retry), at once or,
 * when held, only once the test lets it: a check that runs is then a state a test can look at.
 */
public final class DenyingAws implements AutoCloseable {
    public static final String MESSAGE = "denied by the test";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch released;

    private DenyingAws(boolean held) throws IOException {
        released = new CountDownLatch(held ? 1 : 0);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::deny);
        server.start();
    }

    /** Answers at once. */
    public static DenyingAws answering() throws IOException {
        return new DenyingAws(false);
    }

    /** Holds every call until {@link #release()}. */
    public static DenyingAws holding() throws IOException {
        return new DenyingAws(true);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Waits until a call arrived; false when none did within the minutes given. */
    public boolean awaitCall(long minutes) throws InterruptedException {
        return asked.await(minutes, java.util.concurrent.TimeUnit.MINUTES);
    }

    public void release() {
        released.countDown();
    }

    private void deny(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        asked.countDown();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = ("{\"__type\":\"AccessDeniedException\",\"message\":\"" + MESSAGE + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "AccessDeniedException");
        exchange.sendResponseHeaders(400, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
