package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigfresh.CredentialCache;
import dev.sigfresh.Credentials;
import dev.sigfresh.Header;
import dev.sigfresh.InstanceMetadataSource;
import dev.sigfresh.SigningRequest;
import dev.sigfresh.VerificationException;
import dev.sigfresh.VerifiedRequest;
import dev.sigfresh.Verifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start, compiled and run: the motivating EC2 service calling API Gateway.
 * A fake IMDS on 127.0.0.1 hands out rotating credentials; a fake API Gateway verifies every
 * signature with the Verifier and answers API Gateway's bare ExpiredToken message to the first
 * credentials; the client refreshes once and succeeds. Uses only the public API (another
 * package).
 */
class QuickStartTest {
    static final String SECRET = "imds-secret-EXAMPLEKEY";
    static final String JSON = "{\"item\":\"book\",\"qty\":1}";

    /** IMDSv2: a token, the role name, then credentials n = 1, 2, ... */
    static final class FakeImds implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger fetches = new AtomicInteger();

        FakeImds() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath();
            if (path.equals("/latest/api/token")) {
                reply(x, 200, "imds-token");
            } else if (!"imds-token".equals(x.getRequestHeaders().getFirst("x-aws-ec2-metadata-token"))) {
                reply(x, 401, "");
            } else if (path.equals("/latest/meta-data/iam/security-credentials/")) {
                reply(x, 200, "web-role");
            } else if (path.equals("/latest/meta-data/iam/security-credentials/web-role")) {
                int n = fetches.incrementAndGet();
                reply(x, 200, "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAQUICKSTART" + n
                        + "\",\"SecretAccessKey\":\"" + SECRET + "\",\"Token\":\"token-" + n + "\",\"Expiration\":\""
                        + Instant.now().plusSeconds(6 * 3600) + "\"}");
            } else {
                reply(x, 404, "");
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theQuickStartRefreshesAfterExpiredToken() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (FakeImds imds = new FakeImds(); Verifier verifier = Verifier.builder().build()) {
            HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            api.createContext("/", x -> {
                byte[] body = readAll(x.getRequestBody());
                List<Header> hs = new ArrayList<>();
                for (Map.Entry<String, List<String>> e : x.getRequestHeaders().entrySet()) {
                    for (String v : e.getValue()) {
                        hs.add(new Header(e.getKey(), v));
                    }
                }
                String url = "http://" + x.getRequestHeaders().getFirst("Host") + x.getRequestURI();
                SigningRequest received = SigningRequest.builder(x.getRequestMethod(), url).headers(hs).body(body).build();
                try {
                    VerifiedRequest ok = verifier.verify(received, id -> {
                        String n = id.substring("ASIAQUICKSTART".length());
                        return Credentials.of(id, SECRET, "token-" + n, null);
                    });
                    log.add(ok.accessKeyId() + " " + ok.service() + " " + ok.region());
                    if (ok.accessKeyId().equals("ASIAQUICKSTART1")) {
                        // What API Gateway answers once the captured token has expired.
                        reply(x, 403, "{\"message\":\"The security token included in the request is expired\"}");
                    } else {
                        reply(x, 200, "{\"ok\":true}");
                    }
                } catch (VerificationException e) {
                    log.add("rejected " + e.reason());
                    reply(x, 403, "{\"message\":\"" + e.reason() + "\"}");
                }
            });
            api.start();
            // The default policy: the invalidation after ExpiredToken lifts the 30 s minimum
            // refresh interval once, so the retry fetches at once (the test would stall 30 s
            // otherwise).
            try (InstanceMetadataSource source = InstanceMetadataSource.builder()
                    .environment(Collections.singletonMap("AWS_EC2_METADATA_SERVICE_ENDPOINT",
                            "http://127.0.0.1:" + imds.server.getAddress().getPort()))
                    .build();
                    CredentialCache cache = CredentialCache.builder(source).build();
                    OrdersClient client = new OrdersClient(cache, "us-east-1")) {
                String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/prod/orders";
                HttpResponse<String> r = client.post(url, JSON);
                assertEquals(200, r.statusCode(), r.body() + " " + log);
                assertEquals(2, imds.fetches.get(), "one refresh after ExpiredToken");
                assertEquals(java.util.Arrays.asList("ASIAQUICKSTART1 execute-api us-east-1",
                        "ASIAQUICKSTART2 execute-api us-east-1"), log);
                // The next call uses the refreshed credentials without fetching.
                assertEquals(200, client.post(url, JSON).statusCode());
                assertEquals(2, imds.fetches.get());
            } finally {
                api.stop(0);
            }
        }
    }

    @Test
    void theReadmeShowsThisClassVerbatim() throws IOException {
        String root = System.getProperty("sigfresh.repo.root", "../..");
        String readme = new String(Files.readAllBytes(Paths.get(root, "java", "README.md")), StandardCharsets.UTF_8);
        String source = new String(Files.readAllBytes(Paths.get(root, "java", "sigfresh", "src", "test", "java",
                "example", "OrdersClient.java")), StandardCharsets.UTF_8);
        String start = "// README-START";
        String code = source.substring(source.indexOf('\n', source.indexOf(start)) + 1, source.indexOf("// README-END"));
        assertTrue(readme.contains("```java\n" + code + "```\n"),
                "java/README.md's quick start must be example/OrdersClient.java between README-START and README-END");
    }
}
