package dev.sigfresh.awssdk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigfresh.SigfreshException;
import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A local AWS endpoint on 127.0.0.1: every request's SigV4 signature is checked with sigfresh's
 * verifier against the credentials the IMDS backend issued, and the credentials used must not be
 * expired at the (fake) time the request arrives. A verified request gets the canned answer;
 * anything else a 403 in the AWS error format, and a recorded failure.
 *
 * <p>The verifier is reached through sigfresh's internal {@code NativeApi} until the core jar
 * has a public verifier class (java/ADAPTER-REQUESTS.md, request Q1).
 */
public final class VerifyingServer implements AutoCloseable {

    /** One request as the server saw it. */
    public static final class Seen {
        public final String accessKeyId;
        public final Instant fakeNow;
        public final Instant expiration;
        public final String failure;
        public final Map<String, List<String>> headers;

        Seen(String accessKeyId, Instant fakeNow, Instant expiration, String failure,
                Map<String, List<String>> headers) {
            this.accessKeyId = accessKeyId;
            this.fakeNow = fakeNow;
            this.expiration = expiration;
            this.failure = failure;
            this.headers = headers;
        }

        @Override
        public String toString() {
            return accessKeyId + " at " + fakeNow + " (expires " + expiration + ")"
                    + (failure == null ? "" : ": " + failure);
        }
    }

    private final HttpServer server;
    private final Clock fakeClock;
    private final Function<String, String> answer;
    private final NativeApi api = Bindings.api();
    private final long verifier;
    private final Map<String, IssuedCredentials> issued = new ConcurrentHashMap<>();
    private final Map<String, Long> handles = new ConcurrentHashMap<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param fakeClock the clock the credential cache runs on (expiry is judged by it)
     * @param answer the XML body for a verified request, from the request body (the action)
     */
    public VerifyingServer(Clock fakeClock, Function<String, String> answer) throws IOException {
        this.fakeClock = fakeClock;
        this.answer = answer;
        long[] settings = new long[NativeApi.VERIFIER_LENGTH];
        Arrays.fill(settings, -1);
        settings[NativeApi.VERIFIER_BASE] = 0;
        this.verifier = api.verifierNew(settings);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accept signatures made with these credentials (until they expire by the fake clock). */
    public void accept(IssuedCredentials c) {
        issued.put(c.accessKeyId, c);
        handles.computeIfAbsent(c.accessKeyId, k -> api.credentialsNew(c.accessKeyId, c.secretAccessKey,
                c.sessionToken, c.expiration.toEpochMilli(), null, 0));
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            byte[] body = readAll(x.getRequestBody());
            List<String> flat = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : x.getRequestHeaders().entrySet()) {
                for (String v : e.getValue()) {
                    flat.add(e.getKey());
                    flat.add(v);
                }
            }
            String target = x.getRequestURI().getRawPath()
                    + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
            long[] candidates = handles.values().stream().mapToLong(Long::longValue).toArray();
            Instant now = fakeClock.instant();
            String id = null;
            Instant expiration = null;
            String failure = null;
            try {
                String[] v = api.verify(verifier, x.getRequestMethod(), target, flat.toArray(new String[0]), 0, body,
                        candidates, System.currentTimeMillis());
                id = v[0];
                IssuedCredentials c = issued.get(id);
                expiration = c.expiration;
                if (!now.isBefore(c.expiration)) {
                    failure = "ExpiredToken: signed with credentials that expired at " + c.expiration;
                }
                String token = x.getRequestHeaders().getFirst("X-Amz-Security-Token");
                if (failure == null && !c.sessionToken.equals(token)) {
                    failure = "InvalidToken: the session token does not belong to " + id;
                }
            } catch (SigfreshException e) {
                failure = "SignatureDoesNotMatch: " + e.getMessage();
            }
            seen.add(new Seen(id, now, expiration, failure, x.getRequestHeaders()));
            if (failure == null) {
                reply(x, 200, answer.apply(new String(body, StandardCharsets.UTF_8)));
            } else {
                String code = failure.substring(0, failure.indexOf(':'));
                reply(x, 403, "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                        + failure.replace("&", "&amp;").replace("<", "&lt;")
                        + "</Message></Error><RequestId>r</RequestId></ErrorResponse>");
            }
        } catch (RuntimeException e) {
            seen.add(new Seen(null, fakeClock.instant(), null, "server error: " + e, null));
            reply(x, 500, "");
        } finally {
            x.close();
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/xml");
        x.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** An STS GetCallerIdentity answer. */
    public static String getCallerIdentityXml() {
        return "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/" + ImdsBackend.ROLE
                + "/i-0123456789abcdef0</Arn><UserId>AROAEXAMPLE:i-0123456789abcdef0</UserId>"
                + "<Account>123456789012</Account></GetCallerIdentityResult>"
                + "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
                + "</ResponseMetadata></GetCallerIdentityResponse>";
    }

    @Override
    public void close() {
        server.stop(0);
        for (long h : handles.values()) {
            api.credentialsFree(h);
        }
        api.verifierFree(verifier);
    }
}
