package dev.sigfresh.awssdk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigfresh.Credentials;
import dev.sigfresh.SigningRequest;
import dev.sigfresh.VerificationException;
import dev.sigfresh.VerifiedRequest;
import dev.sigfresh.Verifier;
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
    private final Verifier verifier;
    private final Map<String, IssuedCredentials> issued = new ConcurrentHashMap<>();
    private final Map<String, Credentials> known = new ConcurrentHashMap<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param fakeClock the clock the credential cache runs on (expiry is judged by it)
     * @param answer the XML body for a verified request, from the request body (the action)
     */
    public VerifyingServer(Clock fakeClock, Function<String, String> answer) throws IOException {
        this.fakeClock = fakeClock;
        this.answer = answer;
        // The SDKs sign with the real clock: the signing time is checked against it.
        this.verifier = Verifier.builder().build();
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
        known.computeIfAbsent(c.accessKeyId,
                k -> Credentials.of(c.accessKeyId, c.secretAccessKey, c.sessionToken, c.expiration));
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            byte[] body = readAll(x.getRequestBody());
            String target = x.getRequestURI().getRawPath()
                    + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
            SigningRequest.Builder received = SigningRequest.builder(x.getRequestMethod(), target).body(body);
            for (Map.Entry<String, List<String>> e : x.getRequestHeaders().entrySet()) {
                for (String v : e.getValue()) {
                    received.header(e.getKey(), v);
                }
            }
            Instant now = fakeClock.instant();
            String id = null;
            Instant expiration = null;
            String failure = null;
            try {
                VerifiedRequest v = verifier.verify(received.build(), known::get);
                id = v.accessKeyId();
                IssuedCredentials c = issued.get(id);
                expiration = c.expiration;
                if (!now.isBefore(c.expiration)) {
                    failure = "ExpiredToken: signed with credentials that expired at " + c.expiration;
                }
                String token = x.getRequestHeaders().getFirst("X-Amz-Security-Token");
                if (failure == null && !c.sessionToken.equals(token)) {
                    failure = "InvalidToken: the session token does not belong to " + id;
                }
            } catch (VerificationException e) {
                failure = "SignatureDoesNotMatch: " + e.reason() + ": " + e.getMessage();
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
        for (Credentials c : known.values()) {
            c.close();
        }
        verifier.close();
    }
}
