package dev.sigfresh.awssdk.v2;

import dev.sigfresh.Header;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates requests for the differential test from a fixed seed. It stays inside the inputs
 * both signers define the same way; each input class left out is a documented known difference
 * with its own test (see {@code KNOWN_DIFFERENCES.md} in this module).
 */
final class CorpusGenerator {
    private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"};
    private static final String[] HOSTS = {
        "example.amazonaws.com", "examplebucket.s3.amazonaws.com", "sts.us-east-1.amazonaws.com",
        "my-api.execute-api.eu-west-1.amazonaws.com", "localhost", "127.0.0.1", "a-b.c-d.example",
    };
    private static final String[] REGIONS = {"us-east-1", "eu-west-3", "ap-southeast-1", "us-gov-west-1", "cn-north-1"};
    private static final String[] SERVICES = {"execute-api", "sts", "dynamodb", "sqs", "lambda", "es", "service"};
    /** Decoded characters for path segments and query text: unreserved, reserved, space, %, non-ASCII. */
    private static final String[] TEXT = {
        "a", "b", "Z", "0", "9", "-", "_", ".", "~", " ", "!", "$", "&", "'", "(", ")", "*", "+", ",",
        ";", "=", ":", "@", "%", "/", "?", "#", "[", "]", "\"", "<", ">", "^", "`", "{", "|", "}",
        "é", "€", "日本", "\uD83D\uDE00", "key", "photos", "2024",
    };
    private static final String[] SUB_DELIMS = {"!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@"};
    private static final String[] QUERY_KEYS = {
        "a", "b", "list-type", "prefix", "max-keys", "Action", "Version", "k y", "é", "~t", "a.b", "_",
        "key%", "Z", "x-id", "uploads", "acl",
    };
    private static final String[] HEADER_NAMES = {
        "Content-Type", "content-type", "X-Amz-Meta-Owner", "x-amz-meta-owner", "Accept", "X-Custom-Header",
        "x-custom-header", "If-None-Match", "Range", "Cache-Control", "X-Amz-Target", "My-Header1",
        "Content-MD5", "X-Amz-Meta-Empty", "Content-Encoding", "x-amz-request-payer",
    };
    private static final String[] WORDS = {
        "application/json", "bytes=0-9", "value", "a", "b=c", "\"etag\"", "max-age=0", "text/plain; charset=utf-8",
        "Foo.Bar", "1", "aws-chunked", "x,y", "requester", "p:q@r",
    };
    private static final String[] SPACES = {" ", "  ", "   ", "\t", " \t "};
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

    private final Random random;

    CorpusGenerator(long seed) {
        this.random = new Random(seed);
    }

    private String pick(String[] a) {
        return a[random.nextInt(a.length)];
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private String text(int maxLen, boolean allowEmpty) {
        int n = (allowEmpty ? 0 : 1) + random.nextInt(maxLen);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(pick(TEXT));
        }
        return b.toString();
    }

    private String chars(String alphabet, int len) {
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Percent-encodes a segment but leaves RFC 3986 sub-delimiters, ':' and '@' raw. */
    private static String looseEncode(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            String one = new String(Character.toChars(cp));
            boolean raw = false;
            for (String d : SUB_DELIMS) {
                raw |= d.equals(one);
            }
            b.append(raw ? one : SdkV2Sides.strictEncode(one));
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    SdkV2Sides.Case next() {
        SdkV2Sides.Case c = new SdkV2Sides.Case();
        c.s3 = chance(30);
        boolean presign = chance(25);
        c.method = presign ? (chance(80) ? "GET" : pick(METHODS)) : pick(METHODS);
        c.host = c.s3 ? (chance(70) ? "examplebucket.s3.amazonaws.com" : "s3.eu-west-3.amazonaws.com") : pick(HOSTS);
        if (chance(15)) {
            c.port = chance(20) ? 443 : 1 + random.nextInt(65535);
        }
        c.region = pick(REGIONS);
        c.service = c.s3 ? "s3" : pick(SERVICES);
        c.encodedPath = path(c.s3);
        c.query = query();
        c.headers = headers(presign ? 2 : 6);
        if (presign) {
            c.presignExpiry = Duration.ofSeconds(1 + random.nextInt(604800));
            // S3 presigns UNSIGNED-PAYLOAD; other services hash the (empty) body.
            c.unsignedPayload = c.s3;
        } else {
            c.unsignedPayload = chance(20);
            if (!c.unsignedPayload && chance(50)) {
                c.body = new byte[1 + random.nextInt(3000)];
                random.nextBytes(c.body);
            }
        }
        c.accessKeyId = (chance(50) ? "AKIA" : "ASIA") + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        c.secret = chars(B64.substring(0, 64), 40);
        c.token = chance(70) ? chars(B64, 16 + random.nextInt(400)) : null;
        c.time = Instant.ofEpochSecond(978307200L + (long) (random.nextDouble() * 1_100_000_000L));
        return c;
    }

    private String path(boolean s3) {
        int segments = random.nextInt(5);
        if (segments == 0) {
            return chance(50) ? "/" : "";
        }
        boolean loose = !s3 && chance(30);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < segments; i++) {
            String seg = text(6, chance(10));
            if (seg.equals(".") || seg.equals("..")) {
                seg = seg + "x"; // dot segments: known difference D3
            }
            b.append('/').append(loose ? looseEncode(seg) : SdkV2Sides.strictEncode(seg));
        }
        if (chance(20)) {
            b.append('/');
        }
        return b.toString();
    }

    private List<SdkV2Sides.Param> query() {
        List<SdkV2Sides.Param> q = new ArrayList<>();
        int n = chance(40) ? 0 : 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String key = !q.isEmpty() && chance(20) ? q.get(random.nextInt(q.size())).name
                    : chance(60) ? pick(QUERY_KEYS) : text(4, false);
            String value = chance(20) ? "" : text(5, false);
            q.add(new SdkV2Sides.Param(key, value));
        }
        return q;
    }

    private List<Header> headers(int max) {
        List<Header> h = new ArrayList<>();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            String name = !h.isEmpty() && chance(15) ? h.get(random.nextInt(h.size())).name() : pick(HEADER_NAMES);
            h.add(new Header(name, headerValue()));
        }
        if (chance(5)) {
            h.add(new Header("Host", "other-host.example"));
        }
        return h;
    }

    private String headerValue() {
        if (chance(10)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (chance(20)) {
            b.append(pick(SPACES));
        }
        int words = 1 + random.nextInt(3);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                b.append(chance(50) ? " " : pick(SPACES));
            }
            b.append(pick(WORDS));
        }
        if (chance(20)) {
            b.append(pick(SPACES));
        }
        return b.toString();
    }
}
