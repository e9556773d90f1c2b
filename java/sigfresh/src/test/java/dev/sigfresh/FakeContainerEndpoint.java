package dev.sigfresh;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container credentials endpoint (ECS / EKS Pod Identity shape) on 127.0.0.1: answers
 * {@code GET /v2/credentials/task} with a credentials document when the Authorization header is
 * the expected token, else 403.
 */
final class FakeContainerEndpoint implements AutoCloseable {
    static final String PATH = "/v2/credentials/task";
    static final String SECRET = "container-secret-EXAMPLEKEY";

    final HttpServer server;
    final String token;
    final Instant expiration;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final AtomicInteger served = new AtomicInteger();

    FakeContainerEndpoint(String token, Instant expiration) throws IOException {
        this.token = token;
        this.expiration = expiration;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    static String accessKeyId(int n) {
        return "ASIACONTAINER" + n;
    }

    static String sessionToken(int n) {
        return "container-session-token-" + n;
    }

    private void handle(HttpExchange x) throws IOException {
        requests.add(x.getRequestMethod() + " " + x.getRequestURI());
        String auth = x.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(auth));
        if (!x.getRequestURI().getPath().equals(PATH)) {
            reply(x, 404, "{\"message\":\"not found\"}");
        } else if (!token.equals(auth)) {
            reply(x, 403, "{\"code\":\"AccessDenied\",\"message\":\"bad token\"}");
        } else {
            int n = served.incrementAndGet();
            reply(x, 200, "{\"AccessKeyId\":\"" + accessKeyId(n) + "\",\"SecretAccessKey\":\"" + SECRET
                    + "\",\"Token\":\"" + sessionToken(n) + "\",\"Expiration\":\"" + expiration
                    + "\",\"RoleArn\":\"arn:aws:iam::123456789012:role/task\"}");
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
