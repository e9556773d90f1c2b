package dev.sigfresh.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.SigfreshException;
import dev.sigfresh.internal.JniNative;
import dev.sigfresh.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Panama and JNI bindings side by side in one JVM, on the same library: every result and
 * every exception (code and detail) must be identical. Inputs: the official SigV4 suite's
 * requests under several signer settings, a seeded generated corpus, bad inputs, documents,
 * classification, time and the refresh cache driven by a fake clock. Expected values of the
 * signatures themselves are checked elsewhere (the suite tests); this test checks that the two
 * bindings cannot drift apart. Handles are shared: credentials made through one binding sign
 * through the other.
 */
class PanamaJniDifferentialTest {
    private static final long T = 1440938160000L;
    private static final String AK = "AKIDEXAMPLE";
    private static final String SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private static final NativeApi PANAMA = new PanamaNative();
    private static NativeApi jni;
    private static long creds;
    private static long credsWithToken;

    /** Signer settings to try: base, uri, norm, token mode, sha256, selection, location, expires. */
    private static final long[][] SETTINGS = {
        {0, -1, -1, -1, -1, -1, -1, -1},
        {1, -1, -1, -1, -1, -1, -1, -1},
        {0, -1, -1, 1, 1, -1, -1, -1},
        {0, 1, 1, -1, -1, 2, -1, -1},
        {0, -1, -1, -1, -1, -1, 1, 900},
        {1, -1, -1, -1, -1, -1, 1, 604800},
    };

    @BeforeAll
    static void setUp() {
        jni = new JniNative();
        creds = jni.credentialsNew(AK, SK, null, NativeApi.ABSENT_TIME, null, 0);
        credsWithToken = PANAMA.credentialsNew(AK, SK, TOKEN, NativeApi.ABSENT_TIME, null, 3);
    }

    @AfterAll
    static void tearDown() {
        PANAMA.credentialsFree(creds);
        jni.credentialsFree(credsWithToken);
    }

    /** The result of a call, or its exception's code, name and detail, as comparable text. */
    private static String outcome(Function<NativeApi, Object> call, NativeApi api) {
        try {
            return "ok " + deep(call.apply(api));
        } catch (SigfreshException e) {
            return "err " + e.code() + " " + e.codeName() + " " + e.detail();
        }
    }

    private static String deep(Object o) {
        if (o instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        if (o instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (o instanceof byte[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(o);
    }

    private static int compared;

    private static void same(String what, Function<NativeApi, Object> call) {
        String p = outcome(call, PANAMA);
        String j = outcome(call, jni);
        compared++;
        assertEquals(j, p, what);
    }

    private static Path repo() {
        return Paths.get(System.getProperty("sigfresh.repo.root", "../.."));
    }

    private static List<Path> suiteRequests() throws Exception {
        try (Stream<Path> s = Files.walk(repo().resolve("tests/vectors/sigv4-suite"))) {
            return s.filter(p -> p.toString().endsWith(".req")).sorted().toList();
        }
    }

    private static void signAllWays(String what, long[] settings, String method, String uri, String[] headers,
            int kind, byte[] body) {
        long ps = PANAMA.signerNew("us-east-1", "service", settings, null);
        long js = jni.signerNew("us-east-1", "service", settings, null);
        try {
            for (long c : new long[] {creds, credsWithToken}) {
                boolean presign = settings[6] == 1;
                // Each binding with its own signer; the credentials handle is shared.
                String p = outcome(a -> presign ? a.presign(ps, method, uri, headers, kind, body, c, T)
                    : a.sign(ps, method, uri, headers, kind, body, c, T), PANAMA);
                String j = outcome(a -> presign ? a.presign(js, method, uri, headers, kind, body, c, T)
                    : a.sign(js, method, uri, headers, kind, body, c, T), jni);
                assertEquals(j, p, what + " sign");
                p = outcome(a -> a.signOutput(ps, method, uri, headers, kind, body, c, T), PANAMA);
                j = outcome(a -> a.signOutput(js, method, uri, headers, kind, body, c, T), jni);
                assertEquals(j, p, what + " signOutput");
                compared += 2;
            }
        } finally {
            PANAMA.signerFree(js);
            jni.signerFree(ps);
        }
    }

    @Test
    void officialSuiteRequestsUnderEverySetting() throws Exception {
        int cases = 0;
        for (Path req : suiteRequests()) {
            byte[] text = Files.readAllBytes(req);
            same("parse " + req, a -> a.rawRequestParse(text));
            Object[] parsed = PANAMA.rawRequestParse(text);
            String[] line = (String[]) parsed[0];
            String[] headers = (String[]) parsed[1];
            byte[] body = (byte[]) parsed[2];
            for (long[] settings : SETTINGS) {
                signAllWays(req + " " + Arrays.toString(settings), settings, line[0], line[1], headers, 0, body);
            }
            cases++;
        }
        assertTrue(cases >= 33, "suite cases found: " + cases);
    }

    private static final String PATH_CHARS = "abcXYZ019-._~!$&'()*+,;=:@%/ \u00e9\u1234\uD83D\uDE00";
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "G ET", ""};
    private static final String[] NAMES = {"Host", "host", "Content-Type", "X-Amz-Date", "x-amz-meta-a",
        "User-Agent", "X-Amzn-Trace-Id", "My-Header", "x-amz-content-sha256", "Authorization", "bad name", "r\u00e9"};

    private static String randomText(Random r, String chars, int max) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int at = r.nextInt(chars.length());
            char c = chars.charAt(at);
            if (Character.isHighSurrogate(c)) {
                b.append(c).append(chars.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void generatedCorpus() {
        Random r = new Random(20240501);
        for (int i = 0; i < 1500; i++) {
            String method = METHODS[r.nextInt(METHODS.length)];
            String base = r.nextInt(4) == 0 ? "" : "https://example.amazonaws.com";
            String uri = base + "/" + randomText(r, PATH_CHARS, 30)
                + (r.nextBoolean() ? "?" + randomText(r, "ab=&%20+1\u00e9", 20) : "")
                + (r.nextInt(10) == 0 ? "#frag" : "");
            List<String> hs = new ArrayList<>();
            if (r.nextInt(5) != 0) {
                hs.add("host");
                hs.add("example.amazonaws.com");
            }
            int n = r.nextInt(6);
            for (int k = 0; k < n; k++) {
                hs.add(NAMES[r.nextInt(NAMES.length)]);
                hs.add(randomText(r, "  va\tl\u00e9ue,\"x\"", 15));
            }
            String[] headers = hs.toArray(new String[0]);
            int kind = r.nextInt(9) == 0 ? r.nextInt(10) : 0;
            byte[] body = new byte[r.nextInt(64)];
            r.nextBytes(body);
            if (kind == 1) {
                body = (r.nextBoolean() ? "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                    : "nothex").getBytes(StandardCharsets.US_ASCII);
            }
            signAllWays("corpus " + i + " " + method + " " + uri + " " + Arrays.toString(headers),
                SETTINGS[r.nextInt(SETTINGS.length)], method, uri, headers, kind, body);
        }
    }

    /** Payloads over C.CRITICAL_PAYLOAD_LIMIT take Panama's ordinary (non-critical) downcalls. */
    @Test
    void largePayloads() {
        Random r = new Random(7);
        for (int size : new int[] {C.CRITICAL_PAYLOAD_LIMIT, C.CRITICAL_PAYLOAD_LIMIT + 1, 3 << 20}) {
            byte[] body = new byte[size];
            r.nextBytes(body);
            for (long[] settings : SETTINGS) {
                signAllWays("large " + size, settings, "PUT", "https://example.amazonaws.com/o",
                    new String[] {"content-type", "application/octet-stream"}, 0, body);
            }
        }
    }

    @Test
    void badInputsFailTheSameWay() {
        long s = PANAMA.signerNew("us-east-1", "service", SETTINGS[0], null);
        try {
            same("null method", a -> a.sign(s, null, "/", new String[0], 0, null, creds, T));
            same("null uri", a -> a.sign(s, "GET", null, new String[0], 0, null, creds, T));
            same("null headers", a -> a.sign(s, "GET", "/", null, 0, null, creds, T));
            same("null header element", a -> a.sign(s, "GET", "/", new String[] {"host", null}, 0, null, creds, T));
            same("odd headers", a -> a.sign(s, "GET", "/", new String[] {"host"}, 0, null, creds, T));
            same("signer 0", a -> a.sign(0, "GET", "/", new String[] {"host", "h"}, 0, null, creds, T));
            same("credentials 0", a -> a.sign(s, "GET", "/", new String[] {"host", "h"}, 0, null, 0, T));
            same("no host", a -> a.sign(s, "GET", "/", new String[0], 0, null, creds, T));
            same("bad payload kind", a -> a.sign(s, "GET", "/", new String[] {"host", "h"}, 77, null, creds, T));
            same("presign with header signer", a -> a.presign(s, "GET", "/", new String[] {"host", "h"}, 0, null, creds, T));
            same("bad region", a -> a.signerNew("us east", "service", SETTINGS[0], null));
            same("bad settings length", a -> a.signerNew("us-east-1", "service", new long[3], null));
            same("null settings", a -> a.signerNew("us-east-1", "service", null, null));
            same("bad enum", a -> a.signerNew("us-east-1", "service", new long[] {0, 9, -1, -1, -1, -1, -1, -1}, null));
            same("bad expires", a -> a.signerNew("us-east-1", "service", new long[] {0, -1, -1, -1, -1, -1, 1, 0}, null));
            same("bad selection", a -> a.signerNew("us-east-1", "service", new long[] {0, -1, -1, -1, -1, 1, -1, -1},
                new String[] {"bad name"}));
            same("lone high surrogate", a -> a.credentialsNew("AK\uD800", SK, null, NativeApi.ABSENT_TIME, null, 0));
            same("lone low surrogate in a header", a -> a.sign(s, "GET", "/", new String[] {"host", "h", "x-a",
                "a?\uDC00b"}, 0, null, creds, T));
            same("reversed pair in the uri", a -> a.sign(s, "GET", "/\u00e9\uDE00\uD83D", new String[] {"host", "h"},
                0, null, creds, T));
            same("valid pair", a -> a.sign(s, "GET", "/\uD83D\uDE00", new String[] {"host", "h"}, 0, null, creds, T));
            same("bad slot value", a -> a.signerNew("us-east-1", "service",
                new long[] {0, -1, -1, -1, -1, -1, 1, (1L << 32) + 100}, null));
            same("negative slot", a -> a.signerNew("us-east-1", "service", new long[] {0, -5, -1, -1, -1, -1, -1, -1}, null));
            same("policy slot", a -> a.cacheNew(new long[] {-1, -1, -1, -5, -1, -1, -1, -1, -1, -1, -1}));
            same("policy stability", a -> a.cacheNew(new long[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2}));
            same("no version", a -> a.rawRequestParse("GET /\nHost: h\n\n".getBytes(StandardCharsets.UTF_8)));
            same("null access key", a -> a.credentialsNew(null, SK, null, NativeApi.ABSENT_TIME, null, 0));
            same("empty access key", a -> a.credentialsNew("", SK, null, NativeApi.ABSENT_TIME, null, 0));
            same("profile source", a -> a.credentialsNew(AK, SK, null, NativeApi.ABSENT_TIME, null, 2));
            same("document format", a -> a.documentParse(9, new byte[0]));
            same("document null", a -> a.documentParse(0, null));
            same("document syntax", a -> a.documentParse(0, "{\"Code\":".getBytes(StandardCharsets.UTF_8)));
            same("document any", a -> a.documentParseAny("<x/>".getBytes(StandardCharsets.UTF_8)));
            same("env odd", a -> a.documentParseEnv(new String[] {"AWS_ACCESS_KEY_ID"}));
            same("env absent", a -> a.documentParseEnv(new String[0]));
            same("time kind", a -> a.timeParse(7, "x"));
            same("time parse", a -> a.timeParse(0, "2024-13-01T00:00:00Z"));
            same("time format kind", a -> a.timeFormat(2, 0));
            same("time out of range", a -> a.timeFormat(0, Long.MAX_VALUE));
            same("status range", a -> a.classify(70000, new String[0], null, 0, T, 0));
            same("status negative", a -> a.skewIsSkewError(null, -1, NativeApi.ABSENT_TIME));
            same("raw request", a -> a.rawRequestParse("\n\n".getBytes(StandardCharsets.UTF_8)));
            same("raw request header", a -> a.rawRequestParse("GET / HTTP/1.1\nno colon\n".getBytes(StandardCharsets.UTF_8)));
            same("cache policy zero", a -> a.cacheNew(new long[] {0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));
            same("cache policy length", a -> a.cacheNew(new long[2]));
            same("wait negative", a -> a.cacheWaitForChange(0, 0, -1));
            same("container absent", a -> a.sourceNewContainer(new String[0]));
            same("profile set syntax", a -> a.profileSetParse("[default\nx", null));
        } finally {
            PANAMA.signerFree(s);
        }
    }

    @Test
    void documentsTimeAndClassification() {
        String imds = "{\"Code\":\"Success\",\"LastUpdated\":\"2024-05-01T12:00:00Z\",\"Type\":\"AWS-HMAC\","
            + "\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"c2VjcmV0\",\"Token\":\"dG9rZW4=\","
            + "\"Expiration\":\"2024-05-01T18:00:00Z\"}";
        byte[] doc = imds.getBytes(StandardCharsets.UTF_8);
        same("parse any", a -> {
            long[] r = a.documentParseAny(doc);
            try {
                return new Object[] {r[0], a.credentialsText(r[1]), a.credentialsInfo(r[1]), a.credentialsExpose(r[1])};
            } finally {
                a.credentialsFree(r[1]);
            }
        });
        for (int f = 0; f < 5; f++) {
            int format = f;
            same("parse " + f, a -> {
                long c = a.documentParse(format, doc);
                try {
                    return a.credentialsText(c);
                } finally {
                    a.credentialsFree(c);
                }
            });
        }
        same("env", a -> {
            long c = a.documentParseEnv(new String[] {"AWS_ACCESS_KEY_ID", AK, "AWS_SECRET_ACCESS_KEY", SK,
                "AWS_SESSION_TOKEN", "tok", "AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"});
            try {
                return new Object[] {a.credentialsText(c), a.credentialsInfo(c)};
            } finally {
                a.credentialsFree(c);
            }
        });
        for (int k = 0; k < 3; k++) {
            int kind = k;
            for (String t : new String[] {"2015-08-30T12:36:00Z", "20150830T123600Z", "Sun, 30 Aug 2015 12:36:00 GMT",
                "2015-08-30T12:36:00.123+02:00", "garbage", ""}) {
                same("time " + kind + " " + t, a -> a.timeParse(kind, t));
            }
        }
        for (long ms : new long[] {0, T, T + 123, -1, 253402300799999L, 253402300800000L}) {
            same("format rfc " + ms, a -> a.timeFormat(0, ms));
            same("format amz " + ms, a -> a.timeFormat(1, ms));
        }
        String expired = "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The security token included "
            + "in the request is expired</Message></Error></ErrorResponse>";
        String skewed = "{\"__type\":\"RequestTimeTooSkewed\",\"message\":\"Signature expired\"}";
        for (Object[] resp : new Object[][] {
            {403, new String[] {"Content-Type", "text/xml"}, expired},
            {400, new String[] {"Date", "Sun, 30 Aug 2015 12:50:00 GMT", "x-amzn-ErrorType", "RequestTimeTooSkewed"}, skewed},
            {503, new String[0], ""},
            {429, new String[] {"Retry-After", "3"}, "{\"__type\":\"ThrottlingException\"}"},
        }) {
            same("classify " + resp[0], a -> {
                long skew = a.skewNew(NativeApi.ABSENT_TIME);
                try {
                    Object[] r = a.classify((Integer) resp[0], (String[]) resp[1],
                        ((String) resp[2]).getBytes(StandardCharsets.UTF_8), skew, T, creds);
                    return new Object[] {r[0], r[1], a.skewInfo(skew)};
                } finally {
                    a.skewFree(skew);
                }
            });
        }
        same("skew", a -> {
            long skew = a.skewNew(1000);
            try {
                return new Object[] {a.skewObserve(skew, T + 600_000, T, NativeApi.ABSENT_TIME),
                    a.skewObserve(skew, T, T + 10, T), a.skewObserve(skew, T, T, T + 3_600_000),
                    a.skewObserveDateHeader(skew, "Sun, 30 Aug 2015 12:50:00 GMT", T), a.skewCorrected(skew, T),
                    a.skewIsSkewError("RequestTimeTooSkewed", 403, NativeApi.ABSENT_TIME),
                    a.skewIsSkewError(null, 403, 600_000)};
            } finally {
                a.skewFree(skew);
            }
        });
    }

    /** Two caches, one per binding, driven through the same fake-clock scenario. */
    @Test
    void refreshCacheScenario() {
        same("cache scenario", a -> {
            List<Object> log = new ArrayList<>();
            long cache = a.cacheNew(new long[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0, -1});
            try {
                long now = T;
                long[] g = a.cacheGet(cache, now);
                log.add(Arrays.copyOf(g, 13));
                long lease = g[14];
                log.add(a.leaseInfo(lease));
                long c = a.credentialsNew(AK, SK, "tok", now + 3_600_000, null, 3);
                log.add(a.cacheCompleteSuccess(cache, lease, c, now, 42));
                a.leaseFree(lease);
                log.add(a.cacheNextRefreshAt(cache));
                long[] cur = a.cacheCurrent(cache, now + 1000);
                log.add(Arrays.copyOf(cur, 7));
                a.credentialsFree(cur[7]);
                now += 3_600_000 - 200_000;
                g = a.cacheGet(cache, now);
                log.add(Arrays.copyOf(g, 13));
                a.credentialsFree(g[13]);
                if (g[14] != 0) {
                    log.add(a.cacheCompleteFailure(cache, g[14], 2, 5000, now, 7));
                    a.leaseFree(g[14]);
                }
                log.add(a.cacheLastFailure(cache));
                log.add(a.cacheInvalidateIfCurrent(cache, c));
                log.add(a.cacheGeneration(cache));
                log.add(a.cacheWaitForChange(cache, a.cacheGeneration(cache), 1));
                a.credentialsFree(c);
                return log.toArray();
            } finally {
                a.cacheFree(cache);
            }
        });
    }

    /** An IMDS source fed the same responses through both bindings. */
    @Test
    void imdsSourceScenario() {
        String doc = "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"c2VjcmV0\","
            + "\"Token\":\"dG9rZW4=\",\"Expiration\":\"2015-08-30T18:00:00Z\"}";
        same("imds", a -> {
            List<Object> log = new ArrayList<>();
            long src = a.sourceNewImds(new String[0], 0, null);
            try {
                a.sourceStart(src, T, 99);
                String[] bodies = {"TOKEN-abc", "my-role", doc};
                for (int i = 0; i < 6; i++) {
                    Object[] step = a.sourcePoll(src, T);
                    long[] n = (long[]) step[0];
                    log.add(deep(step));
                    if (n[8] != 0) {
                        log.add(Arrays.asList(a.credentialsText(n[8])));
                        a.credentialsFree(n[8]);
                        n[8] = 1; // a handle: only whether there is one compares
                        log.set(log.size() - 2, deep(step));
                        break;
                    }
                    if (n[0] == 0) {
                        a.sourceHandleResponse(src, T, 200, new String[] {"x-aws-ec2-metadata-token-ttl-seconds", "21600"},
                            bodies[Math.min(i, 2)].getBytes(StandardCharsets.UTF_8));
                    } else {
                        if (n[8] != 0) {
                            log.add(Arrays.asList(a.credentialsText(n[8])));
                            a.credentialsFree(n[8]);
                        }
                        break;
                    }
                }
                log.add(Arrays.asList(a.sourceWarnings(src)));
                a.sourceStart(src, T, 1);
                Object[] step = a.sourcePoll(src, T);
                a.sourceHandleTransportError(src, T, 1, "refused");
                log.add(deep(step));
                log.add(deep(a.sourcePoll(src, T)));
                return log.toArray();
            } finally {
                a.sourceFree(src);
            }
        });
        same("chain explain", a -> {
            long src = a.sourceNewChain(new String[] {"AWS_PROFILE", "dev"}, "[dev]\naws_access_key_id=" + AK
                + "\naws_secret_access_key=" + SK + "\n", "[profile dev]\nregion=eu-west-1\n");
            try {
                a.sourceStart(src, T, 5);
                Object[] step = a.sourcePoll(src, T);
                long[] n = (long[]) step[0];
                String explain = a.sourceExplain(src);
                if (n[8] != 0) {
                    a.credentialsFree(n[8]);
                    n[8] = 1;
                }
                return new Object[] {step, explain};
            } finally {
                a.sourceFree(src);
            }
        });
    }

    @Test
    void verifyAgreesOnEveryOutcome() {
        long ps = PANAMA.signerNew("us-east-1", "service", SETTINGS[0], null);
        long pv = PANAMA.verifierNew(new long[] {0, -1, -1, -1, -1});
        long jv = jni.verifierNew(new long[] {0, -1, -1, -1, -1});
        try {
            String[] headers = {"host", "example.amazonaws.com", "x-a", "1"};
            String[] added = PANAMA.sign(ps, "GET", "/p?q=1", headers, 0, null, credsWithToken, T);
            String[] all = Stream.concat(Arrays.stream(headers), Arrays.stream(added)).toArray(String[]::new);
            for (long found : new long[] {creds, credsWithToken, 0}) {
                for (String uri : new String[] {"/p?q=1", "/p?q=2"}) {
                    same("verifyWithLookup " + found + " " + uri, a -> a.verifyWithLookup(a == PANAMA ? pv : jv, "GET",
                        uri, all, 0, null, id -> found, T));
                }
            }
            same("verifyWithLookup null", a -> a.verifyWithLookup(a == PANAMA ? pv : jv, "GET", "/p", all, 0, null,
                null, T));
            same("verifyWithLookup verifier 0", a -> a.verifyWithLookup(0, "GET", "/p", all, 0, null, null, T));
            same("verifyWithLookup throws", a -> {
                try {
                    return a.verifyWithLookup(a == PANAMA ? pv : jv, "GET", "/p?q=1", all, 0, null, id -> {
                        throw new IllegalStateException("no store for " + id);
                    }, T);
                } catch (IllegalStateException e) {
                    return "thrown " + e.getMessage();
                }
            });
            for (long[] candidates : new long[][] {{creds}, {credsWithToken}, {}, {creds, credsWithToken}}) {
                for (long now : new long[] {T, T + 3_600_000}) {
                    for (String uri : new String[] {"/p?q=1", "/p?q=2"}) {
                        String p = outcome(a -> a.verify(pv, "GET", uri, all, 0, null, candidates, now), PANAMA);
                        String j = outcome(a -> a.verify(jv, "GET", uri, all, 0, null, candidates, now), jni);
                        assertEquals(j, p, "verify " + Arrays.toString(candidates) + " " + now + " " + uri);
                    }
                }
            }
        } finally {
            PANAMA.signerFree(ps);
            PANAMA.verifierFree(pv);
            jni.verifierFree(jv);
        }
    }
}
