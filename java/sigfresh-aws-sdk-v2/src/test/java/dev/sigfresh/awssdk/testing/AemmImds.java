package dev.sigfresh.awssdk.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS's IMDS emulator (amazon-ec2-metadata-mock) on 127.0.0.1. It serves the credentials of its
 * config file; a rotation writes a new config file and restarts the emulator on the same port
 * (so the source also sees its IMDSv2 token become unknown, as after an instance's IMDS restart).
 */
public final class AemmImds implements ImdsBackend {
    private final File binary;
    private final int port;
    private final Path dir;
    private Process process;
    private int generation;

    private AemmImds(File binary, int port, Path dir) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
    }

    static AemmImds start(File binary, IssuedCredentials initial) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AemmImds a = new AemmImds(binary, port, Files.createTempDirectory("sigfresh-aemm"));
        a.launch(initial);
        return a;
    }

    private void launch(IssuedCredentials creds) throws Exception {
        generation++;
        Path config = dir.resolve("aemm-config-" + generation + ".json");
        String json = "{\"metadata\":{\"paths\":{\"iam-security-credentials\":"
                + "\"/latest/meta-data/iam/security-credentials/" + ROLE + "\"},"
                + "\"values\":{\"iam-security-credentials-role\":\"" + ROLE + "\","
                + "\"iam-security-credentials\":{\"Code\":\"Success\",\"LastUpdated\":\"2024-01-01T00:00:00Z\","
                + "\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + creds.accessKeyId + "\",\"SecretAccessKey\":\""
                + creds.secretAccessKey + "\",\"Token\":\"" + creds.sessionToken + "\",\"Expiration\":\""
                + creds.expiration + "\"}}}}";
        Files.write(config, json.getBytes(StandardCharsets.UTF_8));
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.getPath());
        cmd.add("--hostname");
        cmd.add("127.0.0.1");
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        cmd.add("--config-file");
        cmd.add(config.toString());
        File log = dir.resolve("aemm-" + generation + ".log").toFile();
        for (int attempt = 0; attempt < 50; attempt++) {
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log).start();
            for (int i = 0; i < 100 && process.isAlive(); i++) {
                if (serves(creds)) {
                    return;
                }
                Thread.sleep(50);
            }
            process.destroyForcibly().waitFor();
            Thread.sleep(100); // the port may still be held by the previous instance
        }
        throw new IOException("amazon-ec2-metadata-mock did not start on port " + port + "; log: " + log);
    }

    /** Whether the running emulator answers with these credentials (IMDSv1 read, test only). */
    private boolean serves(IssuedCredentials creds) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(endpoint()
                    + "/latest/meta-data/iam/security-credentials/" + ROLE).openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(1000);
            if (c.getResponseCode() != 200) {
                return false;
            }
            byte[] body = readAll(c);
            return new String(body, StandardCharsets.UTF_8).contains(creds.accessKeyId);
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] readAll(HttpURLConnection c) throws IOException {
        try (java.io.InputStream in = c.getInputStream()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public synchronized void rotate(IssuedCredentials next) throws Exception {
        stop();
        launch(next);
    }

    @Override
    public int credentialFetches() {
        return -1;
    }

    @Override
    public String name() {
        return "amazon-ec2-metadata-mock (" + binary + ")";
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        stop();
        // The config files and logs (left in place only when the emulator fails to start: the error names its log).
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
