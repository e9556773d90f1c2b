package dev.sigfresh.awssdk.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.Header;
import dev.sigfresh.SigfreshException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deliberate differences between sigfresh and the AWS SDK for Java v2's
 * {@code AwsV4HttpSigner}, one test each (see {@code KNOWN_DIFFERENCES.md}). Each test pins
 * what both sides do, so a change on either side fails here rather than being skipped silently.
 * The generated corpus of {@link SdkV2SignerDifferentialTest} stays outside these inputs.
 */
class SdkV2KnownDifferencesTest {

    private static SdkV2Sides.Case base() {
        SdkV2Sides.Case c = new SdkV2Sides.Case();
        c.method = "GET";
        c.host = "example.amazonaws.com";
        c.encodedPath = "/a/b";
        c.region = "us-east-1";
        c.service = "execute-api";
        c.token = "session-token-example";
        return c;
    }

    private static String signedHeaders(String authorization) {
        int i = authorization.indexOf("SignedHeaders=");
        return authorization.substring(i + "SignedHeaders=".length(), authorization.indexOf(',', i));
    }

    /** D1: the SDK's signer adds and signs x-amz-content-sha256 for every service. */
    @Test
    void d1SdkAlwaysSignsContentSha256() {
        SdkV2Sides.Case c = base();
        SdkV2Sides.Result sdk = SdkV2Sides.sdk(c);
        assertEquals("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                signedHeaders(sdk.authorization()));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                sdk.added.get("x-amz-content-sha256"));

        // sigfresh's default outside S3 (like aws-sigv4, botocore and the SigV4 suite): no such header.
        try (dev.sigfresh.Signer s = dev.sigfresh.Signer.builder(c.region, c.service).build();
                dev.sigfresh.Credentials cr = dev.sigfresh.Credentials.of(c.accessKeyId, c.secret, c.token, null)) {
            List<Header> added = s.sign(SdkV2Sides.sigfreshRequest(c), cr, c.time);
            String auth = added.stream().filter(h -> h.name().equalsIgnoreCase("authorization")).findFirst()
                    .map(Header::value).orElseThrow(AssertionError::new);
            assertEquals("host;x-amz-date;x-amz-security-token", signedHeaders(auth));
            assertTrue(added.stream().noneMatch(h -> h.name().equalsIgnoreCase("x-amz-content-sha256")));
        }
        // With contentSha256Header(true) (what the corpus uses) the two are identical.
        assertEquals(sdk.added, SdkV2Sides.sigfresh(c).added);
    }

    /** D2: presigned URL text: query order and an explicit default port. Same signature. */
    @Test
    void d2PresignedUrlText() {
        SdkV2Sides.Case c = base();
        c.port = 443;
        c.query = Arrays.asList(new SdkV2Sides.Param("z", "1"), new SdkV2Sides.Param("a", "2"));
        c.presignExpiry = Duration.ofSeconds(60);
        c.token = null;
        String sdk = SdkV2Sides.sdk(c).url;
        String ours = SdkV2Sides.sigfresh(c).url;
        assertEquals("https://example.amazonaws.com/a/b?z=1&a=2&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fexecute-api%2Faws4_request"
                + "&X-Amz-Expires=60&X-Amz-Signature=" + signature(sdk), sdk);
        assertEquals("https://example.amazonaws.com:443/a/b?z=1&a=2&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fexecute-api%2Faws4_request"
                + "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=" + signature(sdk), ours);
    }

    private static String signature(String url) {
        return url.substring(url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length()).replaceAll("&.*", "");
    }

    /**
     * D3: a trailing dot segment outside S3. The SDK normalizes {@code /a/b/..} to {@code /a}
     * (it trims the slash java.net.URI leaves); sigfresh to {@code /a/} (RFC 3986 §5.2.4, like
     * aws-sigv4).
     */
    @Test
    void d3TrailingDotSegment() {
        SdkV2Sides.Case dots = base();
        dots.encodedPath = "/a/b/..";
        SdkV2Sides.Case slash = base();
        slash.encodedPath = "/a/";
        SdkV2Sides.Case noSlash = base();
        noSlash.encodedPath = "/a";
        assertEquals(SdkV2Sides.sdk(noSlash).authorization(), SdkV2Sides.sdk(dots).authorization());
        assertEquals(SdkV2Sides.sigfresh(slash).authorization(), SdkV2Sides.sigfresh(dots).authorization());
        assertNotEquals(SdkV2Sides.sdk(dots).authorization(), SdkV2Sides.sigfresh(dots).authorization());
    }

    /**
     * Not a difference (suspected, checked): repeated slashes outside S3 are merged by both
     * (java.net.URI#normalize on the SDK side), and kept by both in S3.
     */
    @Test
    void repeatedSlashesAgree() {
        SdkV2Sides.Case doubled = base();
        doubled.encodedPath = "/a//b";
        SdkV2Sides.Case single = base();
        single.encodedPath = "/a/b";
        assertEquals(SdkV2Sides.sdk(single).authorization(), SdkV2Sides.sdk(doubled).authorization());
        assertEquals(SdkV2Sides.sigfresh(single).authorization(), SdkV2Sides.sigfresh(doubled).authorization());
        assertEquals(SdkV2Sides.sdk(doubled).added, SdkV2Sides.sigfresh(doubled).added);
        // In S3 (no normalization) both keep them.
        doubled.s3 = true;
        doubled.service = "s3";
        assertEquals(SdkV2Sides.sdk(doubled).added, SdkV2Sides.sigfresh(doubled).added);
    }

    /** D4: a query parameter with an empty name: the SDK leaves it out; sigfresh signs {@code =v}. */
    @Test
    void d4EmptyQueryName() {
        SdkV2Sides.Case empty = base();
        empty.query = Arrays.asList(new SdkV2Sides.Param("", "v"), new SdkV2Sides.Param("a", "1"));
        SdkV2Sides.Case without = base();
        without.query = Arrays.asList(new SdkV2Sides.Param("a", "1"));
        assertEquals(SdkV2Sides.sdk(without).authorization(), SdkV2Sides.sdk(empty).authorization());
        assertNotEquals(SdkV2Sides.sigfresh(without).authorization(), SdkV2Sides.sigfresh(empty).authorization());
        assertTrue(SdkV2Sides.sigfreshCanonical(empty).contains("\n=v&a=1\n"));
    }

    /**
     * D5: headers left unsigned. The SDK skips {@code x-forwarded-for} and signs hop-by-hop
     * headers such as {@code keep-alive}; sigfresh does the opposite (peers/KNOWN_DIFFERENCES.md A1).
     */
    @Test
    void d5UnsignedHeaderLists() {
        SdkV2Sides.Case xff = base();
        xff.headers = Arrays.asList(new Header("X-Forwarded-For", "10.0.0.1"));
        assertEquals("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                signedHeaders(SdkV2Sides.sdk(xff).authorization()));
        assertEquals("host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-forwarded-for",
                signedHeaders(SdkV2Sides.sigfresh(xff).authorization()));

        SdkV2Sides.Case hop = base();
        hop.headers = Arrays.asList(new Header("Keep-Alive", "timeout=5"), new Header("TE", "trailers"),
                new Header("Upgrade", "h2c"), new Header("Proxy-Authorization", "Basic x"));
        assertEquals("host;keep-alive;proxy-authorization;te;upgrade;x-amz-content-sha256;x-amz-date;"
                + "x-amz-security-token", signedHeaders(SdkV2Sides.sdk(hop).authorization()));
        assertEquals("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                signedHeaders(SdkV2Sides.sigfresh(hop).authorization()));
    }

    /** D6: a non-ASCII header value: the SDK signs its UTF-8 bytes; sigfresh refuses (A8). */
    @Test
    void d6NonAsciiHeaderValue() {
        SdkV2Sides.Case c = base();
        c.headers = Arrays.asList(new Header("x-a", "café"));
        assertTrue(signedHeaders(SdkV2Sides.sdk(c).authorization()).contains("x-a"));
        SigfreshException e = assertThrows(SigfreshException.class, () -> SdkV2Sides.sigfresh(c));
        assertEquals("SIGFRESH_SIGN_INVALID_HEADER_VALUE", e.codeName());
    }
}
