package dev.sigfresh.awssdk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-process IMDS (IMDSv2 token required) on 127.0.0.1 serving rotating credentials. */
public final class FakeImds implements ImdsBackend {
    private static final String TOKEN = "fake-imds-token";
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile IssuedCredentials current;

    private FakeImds(IssuedCredentials initial) throws IOException {
        this.current = initial;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeImds start(IssuedCredentials initial) throws IOException {
        return new FakeImds(initial);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        try {
            if (method.equals("PUT") && path.equals("/latest/api/token")) {
                x.getResponseHeaders().add("x-aws-ec2-metadata-token-ttl-seconds",
                        x.getRequestHeaders().getFirst("x-aws-ec2-metadata-token-ttl-seconds"));
                reply(x, 200, TOKEN);
                return;
            }
            if (!TOKEN.equals(x.getRequestHeaders().getFirst("x-aws-ec2-metadata-token"))) {
                reply(x, 401, "");
                return;
            }
            if (path.equals("/latest/meta-data/iam/security-credentials/")
                    || path.equals("/latest/meta-data/iam/security-credentials")) {
                reply(x, 200, ROLE);
            } else if (path.equals("/latest/meta-data/iam/security-credentials/" + ROLE)) {
                fetches.incrementAndGet();
                reply(x, 200, current.imdsDocument());
            } else {
                reply(x, 404, "");
            }
        } finally {
            x.close();
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        }
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void rotate(IssuedCredentials next) {
        current = next;
    }

    @Override
    public int credentialFetches() {
        return fetches.get();
    }

    @Override
    public String name() {
        return "in-process fake IMDS";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
