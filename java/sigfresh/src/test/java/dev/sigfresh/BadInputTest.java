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
}
