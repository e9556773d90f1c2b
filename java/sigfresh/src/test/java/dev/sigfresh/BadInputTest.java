package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Null arguments, malformed input and closed handles give the documented exceptions. */
class BadInputTest {
    static final int NULL_PARAMETER = 1;
    static final int HANDLE_FREED = 5;
    static final int INVALID_ARGUMENT = 8;

    @Test
    void nullArgumentsToThePublicApiAreNullPointerExceptions() {
        assertThrows(NullPointerException.class, () -> Credentials.of(null, "s"));
        assertThrows(NullPointerException.class, () -> Credentials.of("AKID", null));
        assertThrows(NullPointerException.class, () -> Credentials.parse(DocumentFormat.STS, (byte[]) null));
        assertThrows(NullPointerException.class, () -> SigningRequest.builder(null, "/"));
        assertThrows(NullPointerException.class, () -> Signer.builder("us-east-1", null));
        try (Signer s = Signer.builder("us-east-1", "s3").build(); Credentials c = Credentials.of("AKID", "s")) {
            assertThrows(NullPointerException.class, () -> s.sign(null, c));
            assertThrows(NullPointerException.class, () -> s.sign(SigningRequest.builder("GET", "/").build(), (Credentials) null));
        }
        assertThrows(NullPointerException.class, () -> CredentialCache.builder(null));
    }

    @Test
    void nullArgumentsToTheNativeSeamAreSigfreshExceptions() {
        NativeApi api = Bindings.api();
        SigfreshException e = assertThrows(SigfreshException.class,
                () -> api.credentialsNew(null, "secret", null, NativeApi.ABSENT_TIME, null, 0));
        assertEquals(NULL_PARAMETER, e.code());
        assertEquals("SIGFRESH_NULL_PARAMETER", e.codeName());
        assertEquals(NULL_PARAMETER, assertThrows(SigfreshException.class, () -> api.documentParseAny(null)).code());
        assertEquals(NULL_PARAMETER, assertThrows(SigfreshException.class, () -> api.credentialsText(0)).code());
        assertEquals(NULL_PARAMETER, assertThrows(SigfreshException.class,
                () -> api.documentParseEnv(new String[] {"AWS_ACCESS_KEY_ID", null})).code());
        assertEquals(INVALID_ARGUMENT, assertThrows(SigfreshException.class,
                () -> api.documentParseEnv(new String[] {"ODD"})).code());
        assertEquals(INVALID_ARGUMENT, assertThrows(SigfreshException.class,
                () -> api.documentParse(42, new byte[0])).code());
    }

    @Test
    void malformedDocumentsNameTheProblem() {
        SigfreshException e = assertThrows(SigfreshException.class,
                () -> Credentials.parse(DocumentFormat.INSTANCE_METADATA, "{\"Code\":\"Success\""));
        assertTrue(e.code() >= 400 && e.code() < 500, e.toString());
        assertFalse(e.detail().isEmpty());
        e = assertThrows(SigfreshException.class,
                () -> Credentials.parse(DocumentFormat.INSTANCE_METADATA, "{\"Code\":\"Success\",\"AccessKeyId\":\"AKID\"}"));
        assertEquals(404, e.code(), e.toString()); // SIGFRESH_DOCUMENT_MISSING_FIELD
        assertTrue(e.getMessage().contains("SIGFRESH_DOCUMENT_MISSING_FIELD"), e.getMessage());
        e = assertThrows(SigfreshException.class, () -> Credentials.parse(null, "not a document"));
        assertTrue(e.code() >= 400 && e.code() < 500, e.toString());
        e = assertThrows(SigfreshException.class, () -> Credentials.of("", "secret"));
        assertEquals(300, e.code(), e.toString()); // SIGFRESH_CREDENTIALS_EMPTY
    }

    @Test
    void badRequestsAreSignErrors() {
        try (Signer s = Signer.builder("us-east-1", "execute-api").build(); Credentials c = Credentials.of("AKID", "s")) {
            SigfreshException e = assertThrows(SigfreshException.class,
                    () -> s.sign(SigningRequest.builder("GET", "/no-host").build(), c, Instant.EPOCH));
            assertEquals(104, e.code(), e.toString()); // SIGFRESH_SIGN_MISSING_HOST
        }
        assertThrows(SigfreshException.class, () -> Signer.builder("", "s3").build());
    }

    @Test
    void closedHandlesAreIllegalStateExceptions() {
        Credentials c = Credentials.of("AKID", "secret");
        c.close();
        c.close(); // idempotent
        assertThrows(IllegalStateException.class, c::accessKeyId);
        assertThrows(IllegalStateException.class, c::exposeSecretAccessKey);
        Signer s = Signer.builder("us-east-1", "s3").build();
        s.close();
        try (Credentials live = Credentials.of("AKID", "secret")) {
            SigningRequest r = SigningRequest.builder("GET", "https://example.com/").build();
            assertThrows(IllegalStateException.class, () -> s.sign(r, live, Instant.EPOCH));
            try (Signer ok = Signer.builder("us-east-1", "s3").build()) {
                assertThrows(IllegalStateException.class, () -> ok.sign(r, c, Instant.EPOCH));
            }
        }
        CredentialCache cache = CredentialCache.builder(() -> Credentials.of("A", "b")).build();
        cache.close();
        assertThrows(IllegalStateException.class, cache::get);
        ClockSkew skew = ClockSkew.create();
        skew.close();
        assertThrows(IllegalStateException.class, skew::offset);
    }

    @Test
    void aFreedNativeHandleIsDetectedNotACrash() {
        NativeApi api = Bindings.api();
        long h = api.credentialsNew("AKID", "secret", null, NativeApi.ABSENT_TIME, null, 0);
        api.credentialsFree(h);
        assertEquals(HANDLE_FREED, assertThrows(SigfreshException.class, () -> api.credentialsText(h)).code());
        assertEquals(HANDLE_FREED, assertThrows(SigfreshException.class, () -> api.credentialsFree(h)).code());
        // A handle of another type is refused too.
        long skew = api.skewNew(NativeApi.ABSENT_TIME);
        try {
            assertEquals(4, assertThrows(SigfreshException.class, () -> api.credentialsText(skew)).code());
        } finally {
            api.skewFree(skew);
        }
    }

    @Test
    void handlesAreSharedWithTheCAbi() {
        // Documents parsed by the core carry every field; the same handle serves every accessor.
        String doc = "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAEXAMPLE\","
                + "\"SecretAccessKey\":\"sekrit\",\"Token\":\"tok\",\"Expiration\":\"2030-01-01T00:00:00Z\"}";
        try (Credentials c = Credentials.parse(DocumentFormat.INSTANCE_METADATA, doc.getBytes(StandardCharsets.UTF_8))) {
            assertEquals("ASIAEXAMPLE", c.accessKeyId());
            assertTrue(c.hasSessionToken());
            assertEquals(Instant.parse("2030-01-01T00:00:00Z"), c.expiry().get());
            assertEquals(Credentials.Source.INSTANCE_METADATA, c.source());
            assertEquals("sekrit", c.exposeSecretAccessKey());
            assertEquals("tok", c.exposeSessionToken().get());
        }
    }

    static final int INVALID_UTF8 = 2;

    static SigfreshException invalidUtf8(org.junit.jupiter.api.function.Executable call) {
        SigfreshException e = assertThrows(SigfreshException.class, call);
        assertEquals(INVALID_UTF8, e.code(), e.toString());
        assertEquals("SIGFRESH_INVALID_UTF8", e.codeName());
        return e;
    }

    /**
     * A Java string with an unpaired UTF-16 surrogate has no UTF-8 form: every binding refuses
     * it with SIGFRESH_INVALID_UTF8 naming the parameter and the char index (never the text),
     * instead of signing replacement characters the caller never wrote.
     */
    @Test
    void unpairedSurrogatesAreRejected() {
        NativeApi api = Bindings.api();
        long creds = api.credentialsNew("AKIDEXAMPLE", "secret", null, NativeApi.ABSENT_TIME, null, 0);
        long[] settings = new long[NativeApi.SETTINGS_LENGTH];
        java.util.Arrays.fill(settings, -1);
        settings[0] = 0;
        long signer = api.signerNew("us-east-1", "service", settings, null);
        try {
            String[] host = {"Host", "example.amazonaws.com"};
            // A lone high surrogate in the URI, after non-ASCII text.
            SigfreshException e = invalidUtf8(() -> api.sign(signer, "GET", "/\u00e9\uD83D", host, 0, null, creds, 0));
            assertEquals("`uri`: unpaired UTF-16 surrogate at char index 2", e.detail());
            // A lone low surrogate in a header value, after real '?' characters.
            e = invalidUtf8(() -> api.sign(signer, "GET", "/", new String[] {
                "Host", "example.amazonaws.com", "x-q", "??\uDC00"}, 0, null, creds, 0));
            assertEquals("`headers[3]`: unpaired UTF-16 surrogate at char index 2", e.detail());
            // Reversed pair: the low surrogate comes first.
            e = invalidUtf8(() -> api.sign(signer, "GET", "/a\uDE00\uD83D", host, 0, null, creds, 0));
            assertEquals("`uri`: unpaired UTF-16 surrogate at char index 2", e.detail());
            // A proper pair is one code point: U+1F600 is F0 9F 98 80.
            String[][] out = api.signOutput(signer, "GET", "/\uD83D\uDE00", host, 0, null, creds, 0);
            assertTrue(out[0][0].startsWith("GET\n/%F0%9F%98%80\n"), out[0][0]);
            // The secret never appears in the detail.
            e = invalidUtf8(() -> api.credentialsNew("AKIDEXAMPLE", "Zq9SECRET\uDFFFyy", null, NativeApi.ABSENT_TIME, null, 0));
            assertEquals("`secretAccessKey`: unpaired UTF-16 surrogate at char index 9", e.detail());
            assertFalse(e.getMessage().contains("Zq9SECRET"), e.getMessage());
            // Optional strings and array elements too.
            e = invalidUtf8(() -> api.credentialsNew("AKIDEXAMPLE", "s", "tok\uD800", NativeApi.ABSENT_TIME, null, 0));
            assertEquals("`sessionToken`: unpaired UTF-16 surrogate at char index 3", e.detail());
            e = invalidUtf8(() -> api.documentParseEnv(new String[] {"AWS_ACCESS_KEY_ID", "AKID", "X", "\uDBFF"}));
            assertEquals("`vars[3]`: unpaired UTF-16 surrogate at char index 0", e.detail());
            // The public API passes the same error through.
            try (Signer s = Signer.builder("us-east-1", "service").build(); Credentials c = Credentials.of("AKID", "s")) {
                invalidUtf8(() -> s.sign(SigningRequest.builder("GET", "https://example.com/\uD800").build(), c, Instant.EPOCH));
            }
        } finally {
            api.signerFree(signer);
            api.credentialsFree(creds);
        }
    }

    /** Settings and policy slots are -1 (keep the default) or in range; never truncated. */
    @Test
    void outOfRangeSlotsAreRejected() {
        NativeApi api = Bindings.api();
        long[] settings = new long[NativeApi.SETTINGS_LENGTH];
        java.util.Arrays.fill(settings, -1);
        settings[NativeApi.SETTINGS_LOCATION] = 1;
        settings[NativeApi.SETTINGS_EXPIRES_IN_SECS] = (1L << 32) + 100;
        SigfreshException e = assertThrows(SigfreshException.class, () -> api.signerNew("us-east-1", "s3", settings, null));
        assertEquals(INVALID_ARGUMENT, e.code());
        assertEquals("`settings[7]`: 4294967396 is neither -1 nor a 32-bit unsigned value", e.detail());
        long[] verifier = {0, -2, -1, -1, -1};
        e = assertThrows(SigfreshException.class, () -> api.verifierNew(verifier));
        assertEquals("`settings[1]`: -2 is neither -1 nor a 32-bit unsigned value", e.detail());
        long[] policy = new long[NativeApi.POLICY_LENGTH];
        java.util.Arrays.fill(policy, -1);
        policy[3] = -5;
        e = assertThrows(SigfreshException.class, () -> api.cacheNew(policy));
        assertEquals(INVALID_ARGUMENT, e.code());
        assertEquals("`policy[3]`: -5 is out of range", e.detail());
        policy[3] = -1;
        policy[NativeApi.POLICY_IMDS_STATIC_STABILITY] = 2;
        e = assertThrows(SigfreshException.class, () -> api.cacheNew(policy));
        assertEquals("`policy[10]`: 2 is out of range", e.detail());
    }

    /** A request line without an HTTP version is legal for the parser: version is null. */
    @Test
    void aRequestLineWithoutAVersionParses() {
        Object[] r = Bindings.api().rawRequestParse("GET /path\nHost:example.com\n\n".getBytes(StandardCharsets.UTF_8));
        String[] line = (String[]) r[0];
        assertEquals("GET", line[0]);
        assertEquals("/path", line[1]);
        assertEquals(null, line[2]);
    }
}
