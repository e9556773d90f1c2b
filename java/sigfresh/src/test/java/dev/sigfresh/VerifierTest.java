package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public Verifier through the binding selected by -Dsigfresh.binding: sign → verify round
 * trips (headers and presigned URLs), each failure reason, and the official suite's signed
 * requests (.sreq), which must verify with the suite's credentials at the suite's time.
 */
class VerifierTest {
    static final String AKID = "AKIDVERIFYEXAMPLE";
    static final String SECRET = "verifier/secret+EXAMPLEKEY0123456789abcd";
    static final String TOKEN = "verifier-session-token-EXAMPLE";
    static final Instant T = Instant.parse("2025-08-12T10:15:00Z");
    static final String URL = "https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders?limit=10";
    static final byte[] BODY = "{\"item\":\"book\",\"qty\":1}".getBytes(StandardCharsets.UTF_8);

    final List<AutoCloseable> toClose = new ArrayList<>();

    <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    Credentials creds() {
        return closeLater(Credentials.of(AKID, SECRET, TOKEN, T.plus(Duration.ofHours(1))));
    }

    /** The request as a server receives it: the original headers plus the ones signing added. */
    static SigningRequest received(String method, String uri, List<Header> original, List<Header> added, byte[] body) {
        return SigningRequest.builder(method, uri).headers(original).headers(added).body(body).build();
    }

    static List<Header> original() {
        return Arrays.asList(new Header("content-type", "application/json"), new Header("x-request-id", "r-1"));
    }

    List<Header> signAt(Instant t) {
        Signer signer = closeLater(Signer.builder("us-east-1", "execute-api").build());
        SigningRequest req = SigningRequest.builder("POST", URL).headers(original()).body(BODY).build();
        return signer.sign(req, creds(), t);
    }

    static VerificationException fails(VerificationException.Reason reason, Runnable r) {
        VerificationException e = assertThrows(VerificationException.class, r::run);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "the secret is never in the message");
        return e;
    }

    @Test
    void aSignedRequestVerifies() {
        Credentials c = creds();
        List<Header> added = signAt(T);
        Verifier v = closeLater(Verifier.builder().build());
        AtomicInteger lookups = new AtomicInteger();
        VerifiedRequest ok = v.verify(received("POST", URL, original(), added, BODY), id -> {
            lookups.incrementAndGet();
            assertEquals(AKID, id);
            return c;
        }, T.plusSeconds(30));
        assertEquals(1, lookups.get(), "the lookup is asked once");
        assertEquals(AKID, ok.accessKeyId());
        assertEquals("us-east-1", ok.region());
        assertEquals("execute-api", ok.service());
        assertEquals(T, ok.signedAt());
        assertFalse(ok.expiresAt().isPresent(), "header signing has no expiry");
        assertEquals(Arrays.asList("content-type", "host", "x-amz-date", "x-amz-security-token", "x-request-id"),
                ok.signedHeaders());
    }

    @Test
    void theBuilderClockIsTheDefaultTime() {
        Credentials c = creds();
        List<Header> added = signAt(T);
        Verifier v = closeLater(Verifier.builder().clock(java.time.Clock.fixed(T.plusSeconds(5), java.time.ZoneOffset.UTC))
                .build());
        assertEquals(T, v.verify(received("POST", URL, original(), added, BODY), Verifier.CredentialsLookup.of(c))
                .signedAt());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 22})
    void aTamperedBodyByteIsASignatureMismatch(int index) {
        Credentials c = creds();
        List<Header> added = signAt(T);
        byte[] tampered = BODY.clone();
        tampered[index] ^= 0x01;
        Verifier v = closeLater(Verifier.builder().build());
        VerificationException e = fails(VerificationException.Reason.SIGNATURE_MISMATCH,
                () -> v.verify(received("POST", URL, original(), added, tampered), Verifier.CredentialsLookup.of(c), T));
        assertEquals(212, e.code());
        assertEquals("SIGFRESH_VERIFY_SIGNATURE_MISMATCH", e.codeName());
        // The core's precise reason: the canonical request it computed (token redacted).
        assertTrue(e.detail().contains("canonical request"), e.detail());
        assertTrue(e.detail().contains("POST\n/prod/orders\nlimit=10\n"), e.detail());
        assertFalse(e.detail().contains(TOKEN), "the session token is redacted");
        assertTrue(e.getCause() instanceof SigfreshException);
    }

    @Test
    void aTamperedHeaderOrQueryIsASignatureMismatch() {
        Credentials c = creds();
        List<Header> added = signAt(T);
        Verifier v = closeLater(Verifier.builder().build());
        List<Header> other = Arrays.asList(new Header("content-type", "application/json"), new Header("x-request-id", "r-2"));
        fails(VerificationException.Reason.SIGNATURE_MISMATCH,
                () -> v.verify(received("POST", URL, other, added, BODY), Verifier.CredentialsLookup.of(c), T));
        fails(VerificationException.Reason.SIGNATURE_MISMATCH, () -> v.verify(
                received("POST", URL.replace("limit=10", "limit=11"), original(), added, BODY),
                Verifier.CredentialsLookup.of(c), T));
        fails(VerificationException.Reason.SIGNATURE_MISMATCH, () -> v.verify(
                received("PUT", URL, original(), added, BODY), Verifier.CredentialsLookup.of(c), T));
    }

    @Test
    void anotherSecretIsASignatureMismatchAndAnotherTokenATokenMismatch() {
        List<Header> added = signAt(T);
        Verifier v = closeLater(Verifier.builder().build());
        Credentials wrongSecret = closeLater(Credentials.of(AKID, SECRET + "x", TOKEN, null));
        fails(VerificationException.Reason.SIGNATURE_MISMATCH, () -> v.verify(
                received("POST", URL, original(), added, BODY), Verifier.CredentialsLookup.of(wrongSecret), T));
        Credentials wrongToken = closeLater(Credentials.of(AKID, SECRET, TOKEN + "x", null));
        fails(VerificationException.Reason.SESSION_TOKEN_MISMATCH, () -> v.verify(
                received("POST", URL, original(), added, BODY), Verifier.CredentialsLookup.of(wrongToken), T));
    }

    @Test
    void anUnknownKeyIsReportedWithItsId() {
        List<Header> added = signAt(T);
        Verifier v = closeLater(Verifier.builder().build());
        VerificationException e = fails(VerificationException.Reason.UNKNOWN_ACCESS_KEY,
                () -> v.verify(received("POST", URL, original(), added, BODY), id -> null, T));
        assertEquals(203, e.code());
        assertTrue(e.detail().contains(AKID), e.detail());
        Credentials someoneElse = closeLater(Credentials.of("AKIDSOMEONEELSE", SECRET));
        fails(VerificationException.Reason.UNKNOWN_ACCESS_KEY, () -> v.verify(
                received("POST", URL, original(), added, BODY), Verifier.CredentialsLookup.of(someoneElse), T));
    }

    @Test
    void anExceptionFromTheLookupPropagatesUnchanged() {
        List<Header> added = signAt(T);
        Verifier v = closeLater(Verifier.builder().build());
        IllegalStateException boom = new IllegalStateException("key store down");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.verify(
                received("POST", URL, original(), added, BODY), id -> {
                    throw boom;
                }, T));
        assertSame(boom, e);
        // A closed Credentials returned by the lookup: its IllegalStateException, not a crash.
        Credentials closed = Credentials.of(AKID, SECRET, TOKEN, null);
        closed.close();
        assertThrows(IllegalStateException.class, () -> v.verify(
                received("POST", URL, original(), added, BODY), id -> closed, T));
        // The verifier still works afterwards.
        assertEquals(AKID, v.verify(received("POST", URL, original(), added, BODY),
                Verifier.CredentialsLookup.of(creds()), T).accessKeyId());
    }

    @Test
    void theSigningTimeMustBeWithinTheMaxSkew() {
        Credentials c = creds();
        List<Header> added = signAt(T);
        SigningRequest r = received("POST", URL, original(), added, BODY);
        Verifier v = closeLater(Verifier.builder().build());
        // 15 minutes by default, either way.
        v.verify(r, Verifier.CredentialsLookup.of(c), T.plus(Duration.ofMinutes(15)));
        v.verify(r, Verifier.CredentialsLookup.of(c), T.minus(Duration.ofMinutes(15)));
        VerificationException e = fails(VerificationException.Reason.REQUEST_TIME_TOO_SKEWED,
                () -> v.verify(r, Verifier.CredentialsLookup.of(c), T.plus(Duration.ofMinutes(16))));
        assertEquals(208, e.code());
        fails(VerificationException.Reason.REQUEST_TIME_TOO_SKEWED,
                () -> v.verify(r, Verifier.CredentialsLookup.of(c), T.minus(Duration.ofMinutes(16))));
        Verifier lenient = closeLater(Verifier.builder().maxSkew(Duration.ofMinutes(30)).build());
        lenient.verify(r, Verifier.CredentialsLookup.of(c), T.plus(Duration.ofMinutes(16)));
        Verifier strict = closeLater(Verifier.builder().maxSkew(Duration.ofSeconds(10)).build());
        fails(VerificationException.Reason.REQUEST_TIME_TOO_SKEWED,
                () -> strict.verify(r, Verifier.CredentialsLookup.of(c), T.plusSeconds(11)));
        assertThrows(IllegalArgumentException.class, () -> Verifier.builder().maxSkew(Duration.ofSeconds(-1)));
    }

    @Test
    void anUnsignedRequestIsMissingItsSignature() {
        Verifier v = closeLater(Verifier.builder().build());
        fails(VerificationException.Reason.MISSING_SIGNATURE, () -> v.verify(
                SigningRequest.builder("GET", URL).build(), Verifier.CredentialsLookup.of(creds()), T));
        fails(VerificationException.Reason.MALFORMED, () -> v.verify(
                SigningRequest.builder("GET", URL).header("authorization", "AWS4-HMAC-SHA256 nonsense").build(),
                Verifier.CredentialsLookup.of(creds()), T));
    }

    @Test
    void aPresignedUrlVerifiesUntilItExpires() {
        Credentials c = creds();
        Signer presigner = closeLater(Signer.builder("us-east-1", "execute-api")
                .presignExpiry(Duration.ofMinutes(5)).build());
        String url = presigner.presign(SigningRequest.builder("GET", URL).build(), c, T);
        assertTrue(url.startsWith(URL + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&"), url);
        assertTrue(url.contains("X-Amz-Expires=300"), url);
        SigningRequest got = SigningRequest.builder("GET", url).build();
        Verifier v = closeLater(Verifier.builder().build());
        VerifiedRequest ok = v.verify(got, Verifier.CredentialsLookup.of(c), T.plus(Duration.ofMinutes(4)));
        assertEquals(AKID, ok.accessKeyId());
        assertEquals(T, ok.signedAt());
        assertEquals(T.plus(Duration.ofMinutes(5)), ok.expiresAt().get());
        assertEquals(Arrays.asList("host"), ok.signedHeaders());
        VerificationException e = fails(VerificationException.Reason.EXPIRED,
                () -> v.verify(got, Verifier.CredentialsLookup.of(c), T.plus(Duration.ofMinutes(5)).plusSeconds(1)));
        assertEquals(209, e.code());
        // A changed query parameter breaks it.
        fails(VerificationException.Reason.SIGNATURE_MISMATCH, () -> v.verify(
                SigningRequest.builder("GET", url.replace("limit=10", "limit=99")).build(),
                Verifier.CredentialsLookup.of(c), T));
    }

    @Test
    void s3SettingsMustMatchTheSigner() {
        Credentials c = closeLater(Credentials.of(AKID, SECRET));
        Signer s3 = closeLater(Signer.builder("us-west-2", "s3").s3Defaults().build());
        String uri = "https://bucket.s3.us-west-2.amazonaws.com/a//b/./c%20d.txt";
        SigningRequest req = SigningRequest.builder("GET", uri).build();
        List<Header> added = s3.sign(req, c, T);
        SigningRequest got = SigningRequest.builder("GET", uri).headers(added).build();
        VerifiedRequest ok = closeLater(Verifier.builder().s3Defaults().build()).verify(got,
                Verifier.CredentialsLookup.of(c), T);
        assertEquals("s3", ok.service());
        assertTrue(ok.signedHeaders().contains("x-amz-content-sha256"), ok.signedHeaders().toString());
        // The general rules (double encoding, normalized path) compute another canonical URI.
        fails(VerificationException.Reason.SIGNATURE_MISMATCH,
                () -> closeLater(Verifier.builder().build()).verify(got, Verifier.CredentialsLookup.of(c), T));
    }

    /** The suite's .sreq files that are signed with the suite's own credentials (README.md). */
    @ParameterizedTest
    @ValueSource(strings = {"get-header-key-duplicate", "get-header-value-order", "get-header-value-trim",
        "get-unreserved", "get-utf8", "get-vanilla", "get-vanilla-empty-query-key", "get-vanilla-query",
        "get-vanilla-query-order-key", "get-vanilla-query-order-value", "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query", "normalize-path/get-relative", "normalize-path/get-relative-relative",
        "normalize-path/get-slash", "normalize-path/get-slash-dot-slash", "normalize-path/get-slash-pointless-dot",
        "normalize-path/get-slashes", "normalize-path/get-space", "post-header-key-case", "post-header-key-sort",
        "post-header-value-case", "post-sts-token/post-sts-header-before", "post-vanilla",
        "post-vanilla-empty-query-value", "post-vanilla-query", "double-url-encode"})
    void theSuitesSignedRequestsVerify(String dir) throws IOException {
        NativeApi api = Bindings.api();
        String base = dir.substring(dir.lastIndexOf('/') + 1);
        Object[] raw = api.rawRequestParse(Files.readAllBytes(SigV4SuiteTest.suite().resolve(dir).resolve(base + ".sreq")));
        String[] line = (String[]) raw[0];
        String[] headers = (String[]) raw[1];
        SigningRequest.Builder b = SigningRequest.builder(line[0], line[1])
                // The suite hashes an empty payload for every case (README.md).
                .payloadHash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        String date = null;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            if (headers[i].equalsIgnoreCase("x-amz-date")) {
                date = headers[i + 1];
            }
        }
        Instant signedAt = Instant.ofEpochMilli(api.timeParse(NativeApi.TIME_AMZ_DATE, date));
        boolean token = dir.startsWith("post-sts-token/");
        Credentials c = closeLater(Credentials.of(SigV4SuiteTest.AKID, SigV4SuiteTest.SECRET,
                token ? SigV4SuiteTest.STS_TOKEN : null, null));
        VerifiedRequest ok = closeLater(Verifier.builder().build()).verify(b.build(),
                Verifier.CredentialsLookup.of(c), signedAt.plusSeconds(60));
        assertEquals(SigV4SuiteTest.AKID, ok.accessKeyId());
        assertEquals(signedAt, ok.signedAt());
    }

    @Test
    void badArgumentsAndAClosedVerifier() {
        Verifier v = Verifier.builder().build();
        SigningRequest r = SigningRequest.builder("GET", URL).build();
        assertThrows(NullPointerException.class, () -> v.verify(null, id -> null, T));
        assertThrows(NullPointerException.class, () -> v.verify(r, null, T));
        assertThrows(NullPointerException.class, () -> v.verify(r, id -> null, null));
        v.close();
        v.close();
        assertThrows(IllegalStateException.class, () -> v.verify(r, id -> null, T));
    }
}
