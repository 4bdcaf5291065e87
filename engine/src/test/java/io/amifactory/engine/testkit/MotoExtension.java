package io.amifactory.engine.testkit;

import io.amifactory.engine.aws.AwsClients;
import io.amifactory.engine.aws.AwsSettings;
import io.amifactory.engine.emulator.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One Moto per test JVM, reset before every test. Test methods may take a {@link MotoServer} (for its
 * endpoint) and/or {@link AwsClients} (real SDK clients pointed at it with dummy credentials, closed
 * after the test).
 */
public final class MotoExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static MotoServer server;
    private static final String CLIENTS = "clients";

    static synchronized MotoServer server() {
        if (server == null) {
            try {
                server = MotoServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start Moto for the integration tests: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
        }
        return server;
    }

    /** Settings that point the real SDK at the shared Moto. */
    public static AwsSettings settings() {
        return AwsSettings.builder()
                .endpoint(server().endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .maxAttempts(3)
                .build();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server().reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AwsClients clients = context.getStore(ExtensionContext.Namespace.GLOBAL).remove(CLIENTS, AwsClients.class);
        if (clients != null) {
            clients.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == MotoServer.class || type == AwsClients.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (p.getParameter().getType() == MotoServer.class) {
            return server();
        }
        return e.getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(CLIENTS, k -> new AwsClients(settings()), AwsClients.class);
    }
}
