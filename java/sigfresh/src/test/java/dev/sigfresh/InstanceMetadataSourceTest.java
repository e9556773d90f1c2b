package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The IMDS source against a local fake IMDS (com.sun.net.httpserver on 127.0.0.1), and against
 * amazon-ec2-metadata-mock when tests/imds/install-emulator.sh installed it.
 */
class InstanceMetadataSourceTest {
    static final String TOKEN = "fake-imds-session-token";
    static final String SECRET = "imds-secret-value-EXAMPLE";

    static final class FakeImds implements AutoCloseable {
        final HttpServer server;
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger credentialFetches = new AtomicInteger();
        volatile int tokenStatus = 200;

        FakeImds() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath();
            log.add(x.getRequestMethod() + " " + path);
            if (x.getRequestMethod().equals("PUT") && path.equals("/latest/api/token")) {
                if (tokenStatus != 200) {
                    reply(x, tokenStatus, "");
                    return;
                }
                assertNotNull(x.getRequestHeaders().getFirst("x-aws-ec2-metadata-token-ttl-seconds"));
                reply(x, 200, TOKEN);
                return;
            }
            if (!TOKEN.equals(x.getRequestHeaders().getFirst("x-aws-ec2-metadata-token"))) {
                reply(x, 401, "");
                return;
            }
            if (path.equals("/latest/meta-data/iam/security-credentials/")) {
                reply(x, 200, "my-role");
            } else if (path.equals("/latest/meta-data/iam/security-credentials/my-role")) {
                int n = credentialFetches.incrementAndGet();
                reply(x, 200, "{\"Code\":\"Success\",\"LastUpdated\":\"2025-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\","
                        + "\"AccessKeyId\":\"ASIAFAKEIMDS" + n + "\",\"SecretAccessKey\":\"" + SECRET + "\","
                        + "\"Token\":\"session-token-" + n + "\",\"Expiration\":\""
                        + Instant.now().plusSeconds(6 * 3600).toString() + "\"}");
            } else {
                reply(x, 404, "");
            }
        }

        static void reply(HttpExchange x, int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static InstanceMetadataSource source(String endpoint, HttpTransport transport) {
        return InstanceMetadataSource.builder()
                .environment(Collections.singletonMap("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint))
                .transport(transport).build();
    }

    @Test
    void fetchesWithTheTokenFromAFakeImds() throws Exception {
        for (HttpTransport t : new HttpTransport[] {
            HttpTransport.defaultTransport(), new dev.sigfresh.internal.Transports.UrlConnectionTransport()
        }) {
            try (FakeImds imds = new FakeImds(); InstanceMetadataSource src = source(imds.endpoint(), t);
                    Credentials c = src.fetchCredentials()) {
                assertTrue(c.accessKeyId().startsWith("ASIAFAKEIMDS"), c.toString());
                assertTrue(c.hasSessionToken());
                assertEquals(Credentials.Source.INSTANCE_METADATA, c.source());
                assertEquals(SECRET, c.exposeSecretAccessKey());
                assertTrue(imds.log.get(0).startsWith("PUT /latest/api/token"), imds.log.toString());
            }
        }
    }

    @Test
    void aCacheOverImdsSignsAndDoesNotRefetchFreshCredentials() throws Exception {
        try (FakeImds imds = new FakeImds(); InstanceMetadataSource src = source(imds.endpoint(), HttpTransport.defaultTransport());
                CredentialCache cache = CredentialCache.builder(src).build();
                Signer signer = Signer.builder("us-east-1", "execute-api").build()) {
            SigningRequest r = SigningRequest.builder("GET", "https://abc.execute-api.us-east-1.amazonaws.com/prod/").build();
            for (int i = 0; i < 50; i++) {
                List<Header> hs = signer.sign(r, cache);
                assertTrue(hs.get(hs.size() - 1).value().contains("Credential=ASIAFAKEIMDS1/"), hs.toString());
            }
            assertEquals(1, imds.credentialFetches.get());
        }
    }

    @Test
    void anUnreachableImdsIsAnUnavailableSourceNotAHang() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (InstanceMetadataSource src = source("http://127.0.0.1:" + port, HttpTransport.defaultTransport())) {
            CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class, src::fetchCredentials);
            assertFalse(e.getMessage().contains(SECRET));
        }
    }

    @Test
    void againstTheEc2MetadataMockWhenInstalled() throws Exception {
        String root = System.getProperty("sigfresh.repo.root", "../..");
        String cargoTarget = System.getenv("CARGO_TARGET_DIR");
        File bin = System.getenv("SIGFRESH_AEMM_BIN") != null ? new File(System.getenv("SIGFRESH_AEMM_BIN"))
                : cargoTarget != null && new File(cargoTarget, "imds-emulator/bin/ec2-metadata-mock").canExecute()
                        ? new File(cargoTarget, "imds-emulator/bin/ec2-metadata-mock")
                        : Paths.get(root, "target", "imds-emulator", "bin", "ec2-metadata-mock").toFile();
        if (!bin.canExecute()) {
            if ("1".equals(System.getenv("SIGFRESH_REQUIRE_EMULATOR"))) {
                throw new AssertionError("SIGFRESH_REQUIRE_EMULATOR=1 but " + bin + " is missing (tests/imds/install-emulator.sh)");
            }
            Assumptions.assumeTrue(false, "amazon-ec2-metadata-mock not installed");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(bin.getPath(), "--hostname", "127.0.0.1", "--port", String.valueOf(port),
                "--config-file", Paths.get(System.getProperty("sigfresh.repo.root", "../.."), "tests", "imds", "aemm-config.json").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            Map<String, String> env = Collections.singletonMap("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + port);
            try (InstanceMetadataSource src = InstanceMetadataSource.builder().environment(env).build();
                    Credentials c = src.fetchCredentials()) {
                assertFalse(c.accessKeyId().isEmpty());
                assertTrue(c.hasSessionToken());
                assertTrue(c.expiry().isPresent());
            }
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
