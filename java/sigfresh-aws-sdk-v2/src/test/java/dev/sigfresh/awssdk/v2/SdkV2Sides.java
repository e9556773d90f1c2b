package dev.sigfresh.awssdk.v2;

import dev.sigfresh.Credentials;
import dev.sigfresh.Header;
import dev.sigfresh.Signer;
import dev.sigfresh.SigningRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * One request described once and signed by both sides: the AWS SDK for Java v2's
 * {@link AwsV4HttpSigner} and sigfresh's {@link Signer}, with the same credentials and time.
 */
final class SdkV2Sides {
    /** A query parameter, decoded (the SDK takes decoded values; sigfresh the encoded URL). */
    static final class Param {
        final String name;
        final String value;

        Param(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    /** The request and the settings both signers get. */
    static final class Case {
        String method = "GET";
        String host = "example.amazonaws.com";
        int port = -1;
        /** The path as sent on the wire (already percent-encoded). */
        String encodedPath = "/";
        List<Param> query = new ArrayList<>();
        List<Header> headers = new ArrayList<>();
        byte[] body = new byte[0];
        boolean unsignedPayload;
        boolean s3;
        String region = "us-east-1";
        String service = "service";
        Duration presignExpiry;
        String accessKeyId = "AKIDEXAMPLE";
        String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        String token;
        Instant time = Instant.parse("2015-08-30T12:36:00Z");

        String authority() {
            return port < 0 ? host : host + ":" + port;
        }

        String url() {
            StringBuilder b = new StringBuilder("https://").append(authority()).append(encodedPath);
            for (int i = 0; i < query.size(); i++) {
                Param p = query.get(i);
                b.append(i == 0 ? '?' : '&').append(strictEncode(p.name)).append('=').append(strictEncode(p.value));
            }
            return b.toString();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(method).append(' ').append(url());
            for (Header h : headers) {
                b.append("\n  ").append(h.name()).append(": [").append(h.value()).append(']');
            }
            b.append("\n  body ").append(body.length).append(" bytes").append(unsignedPayload ? ", unsigned" : "")
                    .append(s3 ? ", s3" : "").append(", ").append(region).append('/').append(service)
                    .append(presignExpiry == null ? "" : ", presign " + presignExpiry.getSeconds() + " s")
                    .append(token == null ? "" : ", token " + token.length() + " chars").append(", ").append(time);
            return b.toString();
        }
    }

    /** What a side produced: the headers it added (lowercase names) or the presigned URL. */
    static final class Result {
        final Map<String, String> added;
        final String url;

        Result(Map<String, String> added, String url) {
            this.added = added;
            this.url = url;
        }

        String authorization() {
            return added.get("authorization");
        }
    }

    private SdkV2Sides() {}

    /** Percent-encodes every byte except the unreserved characters (RFC 3986), uppercase hex. */
    static String strictEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    static Result sdk(Case c) {
        SdkHttpRequest.Builder r = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(c.method))
                .protocol("https")
                .host(c.host)
                .encodedPath(c.encodedPath);
        if (c.port >= 0) {
            r.port(c.port);
        }
        for (Param p : c.query) {
            r.appendRawQueryParameter(p.name, p.value);
        }
        for (Header h : c.headers) {
            r.appendHeader(h.name(), h.value());
        }
        SdkHttpRequest request = r.build();
        AwsCredentialsIdentity id = c.token == null
                ? AwsCredentialsIdentity.create(c.accessKeyId, c.secret)
                : AwsSessionCredentialsIdentity.create(c.accessKeyId, c.secret, c.token);
        AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        SignedRequest signed = signer.sign(s -> {
            s.identity(id)
                    .request(request)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, c.region)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, c.service)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(c.time, ZoneOffset.UTC))
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !c.s3)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !c.s3)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !c.unsignedPayload);
            if (c.presignExpiry != null) {
                s.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, c.presignExpiry);
            } else {
                s.payload(ContentStreamProvider.fromByteArray(c.body));
            }
        });
        SdkHttpRequest out = signed.request();
        if (c.presignExpiry != null) {
            return new Result(new TreeMap<>(), out.getUri().toString());
        }
        Map<String, String> added = new TreeMap<>();
        for (String name : new String[] {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}) {
            out.firstMatchingHeader(name).ifPresent(v -> added.put(name, v));
        }
        return new Result(added, null);
    }

    static Signer sigfreshSigner(Case c) {
        Signer.Builder b = Signer.builder(c.region, c.service);
        if (c.s3) {
            b.s3Defaults();
        } else if (c.presignExpiry == null) {
            // The SDK's AwsV4HttpSigner adds x-amz-content-sha256 for every service (known
            // difference D1); sigfresh adds it for S3 by default and on request elsewhere.
            b.contentSha256Header(true);
        }
        if (c.presignExpiry != null) {
            b.presignExpiry(c.presignExpiry);
        }
        return b.build();
    }

    static SigningRequest sigfreshRequest(Case c) {
        SigningRequest.Builder r = SigningRequest.builder(c.method, c.url());
        for (Header h : c.headers) {
            r.header(h.name(), h.value());
        }
        if (c.unsignedPayload) {
            r.unsignedPayload();
        } else {
            r.body(c.body);
        }
        return r.build();
    }

    static Result sigfresh(Case c) {
        try (Signer signer = sigfreshSigner(c);
                Credentials creds = Credentials.of(c.accessKeyId, c.secret, c.token, null)) {
            SigningRequest request = sigfreshRequest(c);
            if (c.presignExpiry != null) {
                return new Result(new TreeMap<>(), signer.presign(request, creds, c.time));
            }
            Map<String, String> added = new TreeMap<>();
            for (Header h : signer.sign(request, creds, c.time)) {
                added.put(h.name().toLowerCase(Locale.ROOT), h.value());
            }
            return new Result(added, null);
        }
    }

    /** The canonical request sigfresh computed (for failure messages; may hold the token). */
    static String sigfreshCanonical(Case c) {
        try (Signer signer = sigfreshSigner(c);
                Credentials creds = Credentials.of(c.accessKeyId, c.secret, c.token, null)) {
            return signer.signWithStages(sigfreshRequest(c), creds, c.time).canonicalRequest();
        } catch (RuntimeException e) {
            return "(sigfresh failed: " + e + ")";
        }
    }

    /** A URL's query split into decoded pairs, sorted (to compare presigned URLs as sets). */
    static List<String> sortedQuery(String url) {
        URI u = URI.create(url);
        List<String> out = new ArrayList<>();
        String q = u.getRawQuery();
        if (q != null) {
            for (String piece : q.split("&")) {
                out.add(piece);
            }
        }
        out.sort(null);
        return out;
    }
}
