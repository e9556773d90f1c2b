package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ErrorClassifier over the real-shaped AWS error samples of tests/errors/cases.json (the
 * expected values are the file's, read off the samples; see tests/errors/README.md), through
 * the binding selected by -Dsigfresh.binding, plus the flows the classification drives.
 */
class ErrorClassifierTest {

    static Path errors() {
        return Paths.get(System.getProperty("sigfresh.repo.root", "../.."), "tests", "errors");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cases() throws IOException {
        return (Map<String, Object>) MiniJson.parse(
                new String(Files.readAllBytes(errors().resolve("cases.json")), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> samples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Object c : (List<Object>) cases().get("cases")) {
            Map<String, Object> m = (Map<String, Object>) c;
            out.add(Arguments.of(m.get("name"), m));
        }
        return out.stream();
    }

    /** "RefreshCredentialsAndRetry" → "REFRESH_CREDENTIALS_AND_RETRY" (the core's Debug names). */
    static String enumName(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    static Object json(Optional<?> v) {
        return v.isPresent() ? v.get() : MiniJson.NULL;
    }

    @Test
    void theFileHasTheCasesTheBriefNames() throws IOException {
        List<String> names = new ArrayList<>();
        samples().forEach(a -> names.add((String) a.get()[0]));
        assertTrue(names.size() >= 30, names.toString());
        for (String n : new String[] {"sts_expired_token", "s3_request_time_too_skewed_3h", "iam_throttling",
            "s3_signature_does_not_match_clock_ok", "apigw_expired_token_message_only"}) {
            assertTrue(names.contains(n), n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @SuppressWarnings("unchecked")
    void everySampleClassifiesAsExpected(String name, Map<String, Object> c) throws IOException {
        Map<String, Object> all = cases();
        int status = ((Long) c.get("status")).intValue();
        List<Header> headers = new ArrayList<>();
        for (Object h : (List<Object>) c.get("headers")) {
            List<Object> pair = (List<Object>) h;
            headers.add(new Header((String) pair.get(0), (String) pair.get(1)));
        }
        Object bodyFile = c.get("body");
        byte[] body = bodyFile instanceof String ? Files.readAllBytes(errors().resolve("bodies").resolve((String) bodyFile)) : null;
        Instant localNow = Instant.parse((String) (c.containsKey("local_now") ? c.get("local_now") : all.get("default_local_now")));
        try (ClockSkew skew = ClockSkew.create()) {
            Classification got = ErrorClassifier.builder().clockSkew(skew).build().classify(status, headers, body, localNow);
            Map<String, Object> expected = (Map<String, Object>) c.get("expected");
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                Object want = e.getValue();
                Object have;
                switch (e.getKey()) {
                    case "action":
                        want = enumName((String) want);
                        have = got.action().name();
                        break;
                    case "kind":
                        want = enumName((String) want);
                        have = got.kind().name();
                        break;
                    case "skew_verdict":
                        want = enumName((String) want);
                        have = got.skewVerdict().map(Enum::name).orElse(null);
                        break;
                    case "code":
                        have = json(got.code());
                        break;
                    case "message":
                        have = json(got.message());
                        break;
                    case "server_time":
                        have = got.serverTime().isPresent() ? got.serverTime().get().toString() : MiniJson.NULL;
                        break;
                    case "skew_ms":
                        have = got.skew().isPresent() ? (Object) got.skew().get().toMillis() : MiniJson.NULL;
                        break;
                    case "offset_after_ms":
                        have = skew.offset().toMillis();
                        break;
                    case "canonical_request":
                        have = got.canonicalRequest().isPresent() ? got.canonicalRequest().get() : MiniJson.NULL;
                        break;
                    case "string_to_sign":
                        have = got.stringToSign().isPresent() ? got.stringToSign().get() : MiniJson.NULL;
                        break;
                    default:
                        throw new AssertionError(name + ": unknown expected field " + e.getKey());
                }
                assertEquals(want, have, name + ": " + e.getKey());
            }
            assertEquals(status, got.status(), name + ": status");
            assertFalse(got.explanation().isEmpty(), name + ": explanation");
            Object secrets = c.get("must_not_contain");
            if (secrets != null) {
                for (Object s : (List<Object>) secrets) {
                    for (String text : new String[] {got.toString(), got.explanation(), got.message().orElse("")}) {
                        assertFalse(text.contains((String) s), name + ": leaks " + s);
                    }
                }
            }
        }
    }

    static final List<Header> JSON = Collections.singletonList(new Header("content-type", "application/json"));

    /** The motivating case: API Gateway's bare message after the captured credentials expired. */
    @Test
    void anExpiredTokenFromApiGatewayMeansRefreshAndRetry() {
        byte[] body = "{\"message\":\"The security token included in the request is expired\"}".getBytes(StandardCharsets.UTF_8);
        Classification c = ErrorClassifier.create().classify(403, JSON, body, Instant.parse("2025-08-12T10:15:00Z"));
        assertEquals(Classification.Kind.EXPIRED_TOKEN, c.kind());
        assertEquals(Classification.Action.REFRESH_CREDENTIALS_AND_RETRY, c.action());
        assertEquals(Optional.empty(), c.code());
        assertFalse(c.actionForSource().isPresent());
        assertEquals(Optional.empty(), c.clockSkewOffsetAfter(), "no tracker was given");
        assertTrue(c.toString().contains("EXPIRED_TOKEN"), c.toString());
    }

    /** The core's rule: an unrecognized token from a rotating source is worth one refresh. */
    @Test
    void theActionForTheSourceOfTheCredentials() {
        byte[] body = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>"
                + "<Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>")
                .getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.parse("2025-08-12T10:15:00Z");
        String doc = "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAEXAMPLE\","
                + "\"SecretAccessKey\":\"sekrit\",\"Token\":\"tok\",\"Expiration\":\"2030-01-01T00:00:00Z\"}";
        try (Credentials imds = Credentials.parse(DocumentFormat.INSTANCE_METADATA, doc);
                Credentials fixed = Credentials.of("AKIDEXAMPLE", "secret")) {
            ErrorClassifier classifier = ErrorClassifier.create();
            Classification c = classifier.classify(403, Collections.<Header>emptyList(), body, now, imds);
            assertEquals(Classification.Kind.CREDENTIALS_NOT_RECOGNIZED, c.kind());
            assertEquals(Classification.Action.FATAL, c.action());
            assertEquals(Optional.of(Classification.Action.REFRESH_CREDENTIALS_AND_RETRY), c.actionForSource());
            assertEquals(Optional.of(Classification.Action.FATAL),
                    classifier.classify(403, Collections.<Header>emptyList(), body, now, fixed).actionForSource());
        }
    }

    /** RequestTimeTooSkewed teaches the shared ClockSkew; the signer then signs at AWS's time. */
    @Test
    void aSkewErrorCorrectsTheNextSignature() throws IOException {
        Instant local = Instant.parse("2021-08-11T18:48:03Z");
        byte[] body = Files.readAllBytes(errors().resolve("bodies").resolve("s3_request_time_too_skewed.xml"));
        List<Header> headers = Collections.singletonList(new Header("Date", "Wed, 11 Aug 2021 21:48:05 GMT"));
        try (ClockSkew skew = ClockSkew.create();
                Signer signer = Signer.builder("us-east-1", "s3").clock(Clock.fixed(local, ZoneOffset.UTC))
                        .clockSkew(skew).build();
                Credentials creds = Credentials.of("AKIDEXAMPLE", "secret")) {
            ErrorClassifier classifier = ErrorClassifier.builder().clockSkew(skew)
                    .clock(Clock.fixed(local, ZoneOffset.UTC)).build();
            Classification c = classifier.classify(403, headers, body);
            assertEquals(Classification.Action.CORRECT_CLOCK_AND_RETRY, c.action());
            assertEquals(Classification.Kind.CLOCK_SKEW, c.kind());
            assertEquals(Optional.of("RequestTimeTooSkewed"), c.code());
            assertEquals(Optional.of(ClockSkew.Verdict.DEFINITE), c.skewVerdict());
            assertTrue(c.clockSkewAdopted());
            // The file's offset_after_ms for this sample.
            assertEquals(Optional.of(Duration.ofMillis(10_802_000)), c.clockSkewOffsetAfter());
            assertEquals(Duration.ofMillis(10_802_000), skew.offset());
            List<Header> signed = signer.sign(SigningRequest.builder("GET", "https://bucket.s3.amazonaws.com/k").build(), creds);
            assertEquals(new Header("x-amz-date", "20210811T214805Z"), signed.get(0));
        }
    }

    @Test
    void badArguments() {
        ErrorClassifier c = ErrorClassifier.create();
        assertThrows(NullPointerException.class, () -> c.classify(400, null, null));
        assertThrows(NullPointerException.class, () -> c.classify(400, JSON, null, null));
        assertThrows(IllegalArgumentException.class, () -> c.classify(70000, JSON, null));
        assertThrows(NullPointerException.class, () -> ErrorClassifier.builder().clockSkew(null));
        ClockSkew closed = ClockSkew.create();
        closed.close();
        assertThrows(IllegalStateException.class,
                () -> ErrorClassifier.builder().clockSkew(closed).build().classify(400, JSON, null));
        // A bodiless 503 is still classified.
        assertEquals(Classification.Action.RETRY_TRANSIENT, c.classify(503, JSON, null).action());
    }
}
