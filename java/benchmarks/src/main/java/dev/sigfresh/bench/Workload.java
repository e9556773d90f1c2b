package dev.sigfresh.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/** The exact inputs of W1/W2/W3 from {@code tests/bench/workload.json}. */
final class Workload {
    final String accessKey;
    final String secretKey;
    final String sessionToken;
    final Instant time;
    final String name;
    final String method;
    final String url;
    final String host;
    final String path;
    final List<String[]> query = new ArrayList<>();
    final String region;
    final String service;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    final long expires;
    final String signature;

    private Workload(JsonNode root, String name) {
        this.name = name;
        JsonNode w = root.field(name).orElseThrow(() -> new IllegalArgumentException("no workload " + name));
        accessKey = text(root, "access_key");
        secretKey = text(root, "secret_key");
        sessionToken = text(root, "session_token");
        time = Instant.parse(text(root, "time_iso"));
        method = text(w, "method");
        url = text(w, "url");
        region = text(w, "region");
        service = text(w, "service");
        signature = text(w, "signature");
        java.net.URI u = java.net.URI.create(url);
        host = u.getHost();
        path = u.getRawPath();
        if (u.getRawQuery() != null) {
            for (String p : u.getRawQuery().split("&")) {
                String[] kv = p.split("=", 2);
                query.add(new String[] {decode(kv[0]), decode(kv.length > 1 ? kv[1] : "")});
            }
        }
        w.field("headers").ifPresent(h -> h.asObject().forEach((k, v) -> headers.put(k, v.asString())));
        body = w.field("body").map(b -> b.asString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .orElse(new byte[0]);
        expires = w.field("expires").map(e -> Long.parseLong(e.asNumber())).orElse(0L);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.field(field).orElseThrow(() -> new IllegalArgumentException("missing " + field)).asString();
    }

    static Path file() {
        String p = System.getProperty("sigfresh.workload");
        if (p != null) {
            return Paths.get(p);
        }
        Path here = Paths.get("").toAbsolutePath();
        for (Path d = here; d != null; d = d.getParent()) {
            Path f = d.resolve("tests/bench/workload.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("tests/bench/workload.json not found above " + here
                + "; pass -Dsigfresh.workload=<path>");
    }

    static Workload load(String name) {
        try (InputStream in = Files.newInputStream(file())) {
            return new Workload(JsonNodeParser.create().parse(in), name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
