package dev.sigfresh.internal.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.SigfreshException;
import dev.sigfresh.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the Panama binding can get wrong: struct layouts, the per-thread scratch area
 * (large inputs past its capacity), the verifier's lookup upcall, Java strings that are not
 * valid Unicode, null and closed handles. The binding-neutral behaviour is tested by the shared
 * suite under src/test/java, run with -Dsigfresh.binding=panama.
 */
class PanamaBindingTest {
    private static final String AK = "AKIDEXAMPLE";
    private static final String SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final long T = 1440938160000L; // 2015-08-30T12:36:00Z, the suite's time
    private static final long[] DEFAULTS = {0, -1, -1, -1, -1, -1, -1, -1};

    private final PanamaNative api = new PanamaNative();
    private long creds;
    private long signer;

    @BeforeEach
    void setUp() {
        creds = api.credentialsNew(AK, SK, null, NativeApi.ABSENT_TIME, null, 0);
        signer = api.signerNew("us-east-1", "service", DEFAULTS, null);
    }

    @AfterEach
    void tearDown() {
        api.signerFree(signer);
        api.credentialsFree(creds);
    }

    private static SigfreshException fails(int code, org.junit.jupiter.api.function.Executable call) {
        SigfreshException e = assertThrows(SigfreshException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static String sha256Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The struct sizes and offsets gcc computes from include/sigfresh.h (x86_64). */
    @Test
    void structLayoutsMatchTheCompiler() {
        assertEquals(32, Layouts.PAIR.byteSize());
        assertEquals(16, Layouts.STR.byteSize());
        assertEquals(16, Layouts.BYTES.byteSize());
        assertEquals(32, Layouts.SKEW_CHANGE.byteSize());
        assertEquals(48, Layouts.REFRESH_DECISION.byteSize());
        assertEquals(41, Layouts.DEC_MUST_WAIT);
        assertEquals(16, Layouts.FAILURE.byteSize());
        assertEquals(4, Layouts.FAIL_HAS_RETRY_AFTER);
        assertEquals(88, Layouts.ACCESS.byteSize());
        assertEquals(72, Layouts.ACC_FAILURE);
        assertEquals(16, Layouts.COMPLETION.byteSize());
        assertEquals(24, Layouts.PAYLOAD.byteSize());
        assertEquals(72, Layouts.REQUEST.byteSize());
        assertEquals(56, Layouts.REQ_PAYLOAD_DATA);
        assertEquals(96, Layouts.HTTP_REQUEST.byteSize());
        assertEquals(152, Layouts.STEP.byteSize());
        assertEquals(8 + 72, Layouts.STEP_REQ_USE_PROXY);
        assertEquals(104, Layouts.STEP_TEXT);
        assertEquals(128, Layouts.STEP_ERROR);
        assertEquals(136, Layouts.STEP_FAILURE);
    }

    @Test
    void signsTheSuitesVanillaRequest() {
        String[] added = api.sign(signer, "GET", "/", new String[] {"Host", "example.amazonaws.com",
            "X-Amz-Date", "20150830T123600Z"}, 0, null, creds, T);
        // get-vanilla.authz of the AWS SigV4 test suite.
        assertArrayEquals(new String[] {"x-amz-date", "20150830T123600Z", "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}, added);
    }

    /** A body and a header far larger than the 16 KiB scratch area go through the overflow arena. */
    @Test
    void inputsLargerThanTheScratchAreaAreHashedWhole() throws Exception {
        byte[] body = new byte[1 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        char[] v = new char[40_000];
        Arrays.fill(v, 'v');
        String big = new String(v);
        String[][] out = api.signOutput(signer, "POST", "https://example.amazonaws.com/", new String[] {
            "x-big", big}, 0, body, creds, T);
        String creq = out[0][0];
        assertTrue(creq.endsWith("\n" + sha256Hex(body)), "payload hash line");
        assertTrue(creq.contains("\nx-big:" + big + "\n"), "the big header, whole");
        // Many small headers: the pair array and text spill over too.
        String[] many = new String[2 * 2000];
        for (int i = 0; i < 2000; i++) {
            many[2 * i] = "x-h" + i;
            many[2 * i + 1] = "value-" + i;
        }
        String[][] out2 = api.signOutput(signer, "GET", "https://example.amazonaws.com/", many, 0, null, creds, T);
        assertTrue(out2[0][0].contains("\nx-h1999:value-1999\n"));
    }

    /** A supplementary character is encoded as its 4 UTF-8 bytes (RFC 3629), percent-encoded once. */
    @Test
    void surrogatePairsAreEncodedAsOneCodePoint() {
        String[][] out = api.signOutput(signer, "GET", "/\uD83D\uDE00", new String[] {
            "Host", "example.amazonaws.com"}, 0, null, creds, T);
        assertTrue(out[0][0].startsWith("GET\n/%F0%9F%98%80\n"), out[0][0]);
        // get-utf8: U+1234 is E1 88 B4.
        String[][] bmp = api.signOutput(signer, "GET", "/\u1234", new String[] {
            "Host", "example.amazonaws.com"}, 0, null, creds, T);
        assertTrue(bmp[0][0].startsWith("GET\n/%E1%88%B4\n"), bmp[0][0]);
    }

    @Test
    void unpairedSurrogatesAreInvalidUtf8NotReplaced() {
        SigfreshException e = fails(2, () -> api.credentialsNew("AKID\uD800", SK, null, NativeApi.ABSENT_TIME, null, 0));
        assertEquals("SIGFRESH_INVALID_UTF8", e.codeName());
        assertTrue(e.detail().contains("`accessKeyId`"), e.detail());
        assertTrue(e.detail().contains("index 4"), e.detail());
        // A lone low surrogate inside a header value, after ASCII '?' that are real.
        SigfreshException h = fails(2, () -> api.sign(signer, "GET", "/?a=b", new String[] {
            "Host", "example.amazonaws.com", "x-q", "??\uDC00"}, 0, null, creds, T));
        assertTrue(h.detail().contains("`headers[3]`"), h.detail());
        // A high surrogate at the end of non-ASCII text.
        fails(2, () -> api.sign(signer, "GET", "/\u00e9\uD83D", new String[] {
            "Host", "example.amazonaws.com"}, 0, null, creds, T));
        // The secret is never in the detail.
        SigfreshException s = fails(2, () -> api.credentialsNew(AK, "Zq9SECRET\uDFFFyy", null,
            NativeApi.ABSENT_TIME, null, 0));
        assertTrue(s.detail().contains("`secretAccessKey`"), s.detail());
        assertFalse(s.getMessage().contains("Zq9SECRET"), s.getMessage());
    }

    @Test
    void nullArgumentsAreNullParameterErrors() {
        SigfreshException e = fails(1, () -> api.credentialsNew(null, SK, null, NativeApi.ABSENT_TIME, null, 0));
        assertEquals("`accessKeyId` is null", e.detail());
        e = fails(1, () -> api.sign(signer, "GET", "/", new String[] {"Host", null}, 0, null, creds, T));
        assertEquals("`headers[1]` is null", e.detail());
        fails(1, () -> api.sign(signer, null, "/", new String[0], 0, null, creds, T));
        fails(1, () -> api.sign(signer, "GET", "/", null, 0, null, creds, T));
        fails(1, () -> api.documentParseAny(null));
        fails(1, () -> api.verify(0, "GET", "/", new String[0], 0, null, null, T));
        // Handle 0 where a handle is required: the C side answers.
        fails(1, () -> api.sign(0, "GET", "/", new String[] {"Host", "h"}, 0, null, creds, T));
        fails(1, () -> api.sign(signer, "GET", "/", new String[] {"Host", "h"}, 0, null, 0, T));
        fails(1, () -> api.credentialsText(0));
        // Odd-length pairs.
        fails(8, () -> api.sign(signer, "GET", "/", new String[] {"Host"}, 0, null, creds, T));
        // Nullable ones are fine.
        long c = api.credentialsNew(AK, SK, null, NativeApi.ABSENT_TIME, null, 0);
        assertNull(api.credentialsText(c)[1]);
        api.credentialsFree(c);
        api.credentialsFree(0);
    }

    @Test
    void closedHandlesAreReportedNotDereferenced() {
        long c = api.credentialsNew(AK, SK, "token", NativeApi.ABSENT_TIME, null, 0);
        long s = api.signerNew("us-east-1", "service", DEFAULTS, null);
        api.credentialsFree(c);
        api.signerFree(s);
        fails(5, () -> api.credentialsFree(c));
        fails(5, () -> api.credentialsText(c));
        fails(5, () -> api.credentialsExpose(c));
        fails(5, () -> api.sign(s, "GET", "/", new String[] {"Host", "h"}, 0, null, creds, T));
        SigfreshException e = fails(5, () -> api.sign(signer, "GET", "/", new String[] {"Host", "h"}, 0, null, c, T));
        assertEquals("SIGFRESH_HANDLE_FREED", e.codeName());
        // A handle of another type.
        fails(4, () -> api.credentialsText(signer));
    }

    /** The lookup upcall picks the candidate with the asked access key id, or none. */
    @Test
    void verifyAnswersTheLookupFromTheCandidates() {
        long other = api.credentialsNew("AKIDOTHER", SK, null, NativeApi.ABSENT_TIME, null, 0);
        long wrongSecret = api.credentialsNew(AK, "not-the-secret", null, NativeApi.ABSENT_TIME, null, 0);
        long verifier = api.verifierNew(new long[] {0, -1, -1, -1, -1});
        try {
            String[] headers = {"Host", "example.amazonaws.com"};
            String[] added = api.sign(signer, "GET", "/path?x=1", headers, 0, null, creds, T);
            String[] all = Arrays.copyOf(headers, headers.length + added.length);
            System.arraycopy(added, 0, all, headers.length, added.length);
            String[] v = api.verify(verifier, "GET", "/path?x=1", all, 0, null, new long[] {other, creds}, T);
            assertEquals(AK, v[0]);
            assertEquals("us-east-1", v[1]);
            assertEquals("service", v[2]);
            assertEquals(Long.toString(T), v[3]);
            assertNull(v[4]);
            assertEquals(Arrays.asList("host", "x-amz-date"), Arrays.asList(v).subList(5, v.length));
            fails(203, () -> api.verify(verifier, "GET", "/path?x=1", all, 0, null, new long[] {other}, T));
            fails(203, () -> api.verify(verifier, "GET", "/path?x=1", all, 0, null, new long[0], T));
            // First match wins: the wrong secret first gives a mismatch, not a search on.
            fails(212, () -> api.verify(verifier, "GET", "/path?x=1", all, 0, null,
                new long[] {wrongSecret, creds}, T));
            // Tampered request.
            fails(212, () -> api.verify(verifier, "GET", "/path?x=2", all, 0, null, new long[] {creds}, T));
        } finally {
            api.verifierFree(verifier);
            api.credentialsFree(other);
            api.credentialsFree(wrongSecret);
        }
    }

    /**
     * A Java lookup runs inside the upcall and may call the library itself (here: it builds the
     * credentials), which takes a second scratch area while the verify call holds the first.
     */
    @Test
    void verifyWithLookupCallsJavaFromTheUpcall() {
        long verifier = api.verifierNew(new long[] {0, -1, -1, -1, -1});
        long[] made = new long[1];
        try {
            String[] headers = {"Host", "example.amazonaws.com"};
            String[] added = api.sign(signer, "GET", "/x", headers, 0, null, creds, T);
            String[] all = Arrays.copyOf(headers, headers.length + added.length);
            System.arraycopy(added, 0, all, headers.length, added.length);
            String[] v = api.verifyWithLookup(verifier, "GET", "/x", all, 0, null, id -> {
                assertEquals(AK, id);
                made[0] = api.credentialsNew(id, SK, null, NativeApi.ABSENT_TIME, null, 0);
                return made[0];
            }, T);
            assertEquals(AK, v[0]);
            fails(203, () -> api.verifyWithLookup(verifier, "GET", "/x", all, 0, null, id -> 0, T));
            IllegalStateException boom = new IllegalStateException("lookup failed");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> api.verifyWithLookup(
                verifier, "GET", "/x", all, 0, null, id -> {
                    throw boom;
                }, T));
            assertTrue(thrown == boom, "the lookup's own exception, unchanged");
            // A lookup whose nested library call fails: its exception, not the core's.
            SigfreshException inner = assertThrows(SigfreshException.class, () -> api.verifyWithLookup(
                verifier, "GET", "/x", all, 0, null, id -> api.credentialsNew("", SK, null,
                    NativeApi.ABSENT_TIME, null, 0), T));
            assertEquals(300, inner.code(), inner.getMessage());
            fails(1, () -> api.verifyWithLookup(verifier, "GET", "/x", all, 0, null, null, T));
        } finally {
            api.credentialsFree(made[0]);
            api.verifierFree(verifier);
        }
    }

    @Test
    void secretsComeBackVerbatim() {
        String token = "IQoJb3JpZ2luX2VjEXAMPLE/+=";
        long c = api.credentialsNew(AK, SK, token, 1_700_000_000_000L, "123456789012", 3);
        try {
            assertArrayEquals(new String[] {SK, token}, api.credentialsExpose(c));
            assertArrayEquals(new String[] {AK, "123456789012", null}, api.credentialsText(c));
            assertArrayEquals(new long[] {1, 1_700_000_000_000L, 3}, api.credentialsInfo(c));
        } finally {
            api.credentialsFree(c);
        }
        // Valid Unicode the core does not accept in a token: its error, naming the field only.
        SigfreshException e = fails(301, () -> api.credentialsNew(AK, SK, "Xq7\u00e9Zr", NativeApi.ABSENT_TIME, null, 0));
        assertTrue(e.detail().contains("session token"), e.detail());
        assertFalse(e.getMessage().contains("Xq7"), e.getMessage());
    }

    @Test
    void textResultsLongerThanTheFirstBufferAreComplete() {
        String longProfile = "p".repeat(5000);
        long set = api.profileSetParse("[" + longProfile + "]\naws_access_key_id = " + AK
            + "\naws_secret_access_key = " + SK + "\n", null);
        try {
            long c = api.profileSetCredentials(set, longProfile);
            try {
                assertEquals(longProfile, api.credentialsText(c)[2]);
            } finally {
                api.credentialsFree(c);
            }
            assertArrayEquals(new String[] {longProfile}, api.profileSetNames(set));
            assertNull(api.profileSetGet(set, "missing", "region"));
        } finally {
            api.profileSetFree(set);
        }
    }

    @Test
    void versionAndNamesComeFromTheLibrary() {
        assertEquals("panama", api.bindingName());
        assertTrue(api.version().matches("\\d+\\.\\d+\\.\\d+.*"), api.version());
        assertEquals("SIGFRESH_HANDLE_FREED", api.resultName(5));
        assertEquals(StandardCharsets.UTF_8.name(), "UTF-8");
    }
}
