package io.amifactory.engine.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.amifactory.engine.aws.AwsSettings;
import io.amifactory.engine.testkit.FaultPlan.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local HTTP forwarder between the real SDK and an emulator (Moto) that injects faults on the wire:
 * throttling and server errors in each protocol's real form, added latency, and dropped connections
 * ({@link FaultPlan}). Point the SDK's endpoint override at {@link #endpoint()}.
 *
 * <p>It tells calls apart the way AWS does: the service and region from the SigV4 credential scope of the
 * {@code Authorization} header, the operation from {@code X-Amz-Target} (JSON protocols such as SSM) or the
 * {@code Action} form field (query protocols: EC2, AutoScaling, STS). Every call is recorded ({@link #calls()},
 * and by SDK method name in {@link #log()}) with the fault it got, so that tests can count attempts and
 * prove that a request made no call at all.
 *
 * <p>It also works as the HTTP proxy of a client ({@link #endpoint()} as the proxy, the emulator as the
 * endpoint): a request in proxy form ({@code POST http://127.0.0.1:5000/}) is forwarded to the URL it names.
 * {@link #requireProxyCredentials()} makes it answer 407 until a request carries {@code Proxy-Authorization},
 * whose values are kept in {@link #proxyAuthorizations()}.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([^&]*)");
    /** Headers the JDK client sets itself (and refuses), or that describe the hop rather than the message. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "date", "proxy-authorization", "proxy-connection");

    /**
     * One call as the proxy saw it: when it arrived, what was injected, and the HTTP status returned (-1 when
     * none was).
     */
    public record Call(Instant at, String service, String operation, String region, Fault fault, Duration delay,
            int status) {
        /** {@code service:Operation}, e.g. {@code ec2:DescribeImages}. */
        public String type() {
            return service + ":" + operation;
        }
    }

    /** A call held at the proxy until released (to kill a client while its call is in flight). */
    public static final class Hold {
        private final String selector;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String selector) {
            this.selector = selector;
        }

        /** Waits until a matching call arrives; true if one did within {@code timeout}. */
        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the held call (and every later matching one) through. */
        public void release() {
            released.countDown();
        }
    }

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient forward;
    private final List<Call> calls = new ArrayList<>();
    private final CallLog log = new CallLog();
    private volatile FaultPlan plan;
    private volatile Hold hold;
    private volatile boolean requireProxyCredentials;
    private final List<String> proxyAuthorizations = new ArrayList<>();

    private FaultProxy(URI target, FaultPlan plan) throws IOException {
        this.target = target;
        this.plan = plan;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        });
        this.forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code target} and applies {@code plan}. */
    public static FaultProxy start(URI target, FaultPlan plan) {
        try {
            return new FaultProxy(target, plan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Settings that send every SDK call through this proxy with dummy credentials and the production
     * retry budget (the default of {@link AwsSettings}), which is what the fault tests must prove enough.
     */
    public AwsSettings settings() {
        return AwsSettings.builder().endpoint(endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** Answers 407 (Basic) to every request without a {@code Proxy-Authorization} header, as a proxy with users does. */
    public void requireProxyCredentials() {
        requireProxyCredentials = true;
    }

    /** Every {@code Proxy-Authorization} header received, in order. */
    public synchronized List<String> proxyAuthorizations() {
        return List.copyOf(proxyAuthorizations);
    }

    /** Replaces the plan for the calls that follow. */
    public void plan(FaultPlan plan) {
        this.plan = plan;
    }

    /** Holds the next call {@code selector} matches (and any after it) until the hold is released. */
    public Hold hold(String selector) {
        Hold h = new Hold(selector);
        hold = h;
        return h;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls {@code selector} ({@code *}, {@code ec2:*}, {@code ssm:GetParameters}) matches. */
    public synchronized List<Call> calls(String selector) {
        return calls.stream().filter(c -> FaultPlan.matches(selector, c.service(), c.operation())).toList();
    }

    /** The calls by SDK method name ({@code describeImages}), with {@link CallLog#mutating()}. */
    public CallLog log() {
        return log;
    }

    public synchronized void clear() {
        calls.clear();
        log.clear();
        proxyAuthorizations.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String proxyAuthorization = exchange.getRequestHeaders().getFirst("Proxy-Authorization");
            if (proxyAuthorization != null) {
                synchronized (this) {
                    proxyAuthorizations.add(proxyAuthorization);
                }
            } else if (requireProxyCredentials) {
                exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"fault-proxy\"");
                exchange.sendResponseHeaders(407, -1);
                return;
            }
            String service = "unknown";
            String region = "unknown";
            Matcher scope = SCOPE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (scope.find()) {
                region = scope.group(1);
                service = scope.group(2);
            }
            String operation = operation(exchange, body);
            if (service.equals("unknown")) {
                // Not an AWS API call (Moto's own /moto-api): forwarded untouched, not recorded.
                reply(exchange, send(exchange, body));
                return;
            }
            Instant at = Instant.now();
            FaultPlan.Decision d = plan.decide(service, operation, region);
            awaitHold(service, operation);
            if (!d.delay().isZero()) {
                sleep(d.delay());
            }
            // Recorded before the reply is written: a caller that has its answer finds its call recorded.
            Call call = new Call(at, service, operation, region, d.fault(), d.delay(), -1);
            if (d.fault() == null) {
                HttpResponse<byte[]> r = send(exchange, body, call);
                record(new Call(at, service, operation, region, null, d.delay(), r.statusCode()));
                reply(exchange, r);
            } else if (d.fault() == Fault.DROP) {
                // closing the exchange before any response header closes the connection
                record(call);
            } else if (d.fault() == Fault.DROP_AFTER) {
                send(exchange, body, call);
                record(call);
            } else {
                ErrorReply e = errorReply(service, d.fault());
                record(new Call(at, service, operation, region, d.fault(), d.delay(), e.status()));
                e.write(exchange);
            }
        }
    }

    private void awaitHold(String service, String operation) {
        Hold h = hold;
        if (h != null && FaultPlan.matches(h.selector, service, operation)) {
            h.arrived.countDown();
            try {
                h.released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void record(Call c) {
        calls.add(c);
        log.record(Character.toLowerCase(c.operation().charAt(0)) + c.operation().substring(1));
    }

    private static String operation(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            return dot < 0 ? target : target.substring(dot + 1);
        }
        Matcher m = ACTION.matcher(new String(body, StandardCharsets.UTF_8));
        if (m.find()) {
            return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            Matcher q = ACTION.matcher(query);
            if (q.find()) {
                return URLDecoder.decode(q.group(1), StandardCharsets.UTF_8);
            }
        }
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }

    /** Forwards the request; a failure to reach the emulator is recorded as {@code call} and rethrown. */
    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body, Call call) throws IOException {
        try {
            return send(exchange, body);
        } catch (IOException | RuntimeException e) {
            record(call);
            throw e;
        }
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException {
        URI uri = target.resolve(exchange.getRequestURI().toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        try {
            return forward.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    private static void reply(HttpExchange exchange, HttpResponse<byte[]> r) throws IOException {
        r.headers().map().forEach((k, v) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                exchange.getResponseHeaders().put(k, v);
            }
        });
        byte[] out = r.body();
        exchange.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
    }

    /** An error answer in the wire form of the service's protocol. */
    private record ErrorReply(int status, String contentType, String body, String requestId, boolean json,
            String queryError) {
        ErrorReply(int status, String contentType, String body, String requestId, boolean json) {
            this(status, contentType, body, requestId, json, null);
        }

        void write(HttpExchange exchange) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            if (json) {
                exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
            }
            if (queryError != null) {
                exchange.getResponseHeaders().add("x-amzn-query-error", queryError);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static ErrorReply errorReply(String service, Fault fault) {
        String requestId = UUID.randomUUID().toString();
        if (service.equals("ssm")) {
            // JSON 1.1 protocol: the error code is __type
            String[] e = switch (fault) {
                case THROTTLE -> new String[] {"400", "ThrottlingException", "Rate exceeded"};
                case SERVER_ERROR -> new String[] {"500", "InternalServerError", "An error occurred on the server side."};
                case ACCESS_DENIED -> new String[] {"400", "AccessDeniedException", "User is not authorized to perform this operation"};
                default -> new String[] {"503", "ServiceUnavailable", "Service is unavailable."};
            };
            return new ErrorReply(Integer.parseInt(e[0]), "application/x-amz-json-1.1",
                    "{\"__type\":\"" + e[1] + "\",\"message\":\"" + e[2] + "\"}", requestId, true);
        }
        if (service.equals("sqs")) {
            // JSON 1.0 protocol, query-compatible: the SDK takes the code from x-amzn-query-error
            String[] e = switch (fault) {
                case THROTTLE -> new String[] {"400", "RequestThrottled", "Request is throttled."};
                case SERVER_ERROR -> new String[] {"500", "InternalError", "An internal error occurred."};
                case ACCESS_DENIED -> new String[] {"403", "AccessDenied", "Access to the resource is denied."};
                default -> new String[] {"503", "ServiceUnavailable", "Service is unavailable."};
            };
            return new ErrorReply(Integer.parseInt(e[0]), "application/x-amz-json-1.0",
                    "{\"__type\":\"com.amazonaws.sqs#" + e[1] + "\",\"message\":\"" + e[2] + "\"}", requestId, true,
                    e[1] + (e[0].startsWith("4") ? ";Sender" : ";Receiver"));
        }
        if (service.equals("ec2")) {
            // EC2 query protocol: <Response><Errors><Error>, status 503 for RequestLimitExceeded
            String[] e = switch (fault) {
                case THROTTLE -> new String[] {"503", "RequestLimitExceeded", "Request limit exceeded."};
                case SERVER_ERROR -> new String[] {"500", "InternalError", "An internal error has occurred."};
                case ACCESS_DENIED -> new String[] {"403", "UnauthorizedOperation", "You are not authorized to perform this operation."};
                default -> new String[] {"503", "Unavailable", "The server is overloaded and can't handle the request."};
            };
            return new ErrorReply(Integer.parseInt(e[0]), "text/xml;charset=UTF-8",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + e[1]
                            + "</Code><Message>" + e[2] + "</Message></Error></Errors><RequestID>" + requestId
                            + "</RequestID></Response>", requestId, false);
        }
        // AWS query protocol (AutoScaling, STS): <ErrorResponse><Error>
        String[] e = switch (fault) {
            case THROTTLE -> new String[] {"400", "Sender", "Throttling", "Rate exceeded"};
            case SERVER_ERROR -> new String[] {"500", "Receiver", "InternalFailure", "An internal error occurred."};
            case ACCESS_DENIED -> new String[] {"403", "Sender", "AccessDenied", "User is not authorized to perform this operation."};
            default -> new String[] {"503", "Receiver", "ServiceUnavailable", "Service is unavailable."};
        };
        return new ErrorReply(Integer.parseInt(e[0]), "text/xml",
                "<ErrorResponse><Error><Type>" + e[1] + "</Type><Code>" + e[2] + "</Code><Message>" + e[3]
                        + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>", requestId, false);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Hold h = hold;
        if (h != null) {
            h.release();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
