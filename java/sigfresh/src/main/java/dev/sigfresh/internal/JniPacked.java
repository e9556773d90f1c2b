package dev.sigfresh.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JNI binding's fast path for signing: the request's text crosses as one UTF-8
 * {@code byte[]} and the result comes back as one {@code byte[]}, so a signature is one native
 * call with two array copies instead of a JNI call per string (see {@code ffi/src/jni/packed.rs},
 * which documents the same layout).
 *
 * <p>Request layout, every length a 4-byte little-endian unsigned count of bytes: method, URI,
 * the number of headers, then each header's name and value. Result layout: name NUL value NUL
 * ... (header signing) or the URL's bytes (presigning).
 *
 * <p>Only well-formed input takes this path: {@link #request} returns {@code null} for a null
 * argument, an odd header array, a null element or a string with an unpaired surrogate, and
 * the caller then uses the per-string native call, whose errors are the binding's documented
 * ones. The packing holds no rule of its own.
 */
final class JniPacked {
    private JniPacked() {}

    /** Packs the request, or {@code null} when it is not well-formed (see the class doc). */
    static byte[] request(String method, String uri, String[] headers) {
        if (method == null || uri == null || headers == null || (headers.length & 1) != 0) {
            return null;
        }
        int methodBytes = utf8Length(method);
        int uriBytes = utf8Length(uri);
        if (methodBytes < 0 || uriBytes < 0) {
            return null;
        }
        int size = 12 + methodBytes + uriBytes;
        for (String h : headers) {
            if (h == null) {
                return null;
            }
            int n = utf8Length(h);
            if (n < 0) {
                return null;
            }
            size += 4 + n;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, method);
        at = put(out, at, uri);
        at = putInt(out, at, headers.length / 2);
        for (String h : headers) {
            at = put(out, at, h);
        }
        return out;
    }

    /** Unpacks a header-signing result into flat name/value pairs. */
    static String[] pairs(byte[] result) {
        int count = 0;
        for (byte b : result) {
            if (b == 0) {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int i = 0;
        for (int at = 0; at < result.length; at++) {
            if (result[at] == 0) {
                out[i++] = new String(result, start, at - start, StandardCharsets.UTF_8);
                start = at + 1;
            }
        }
        return out;
    }

    /** Decodes a presigned URL. */
    static String text(byte[] result) {
        return new String(result, StandardCharsets.UTF_8);
    }

    /** Overwrites a packed array that may hold a secret (a session token header). */
    static void wipe(byte[] packed) {
        if (packed != null) {
            Arrays.fill(packed, (byte) 0);
        }
    }

    /** The UTF-8 length of {@code s}, or -1 when it has an unpaired surrogate. */
    private static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return -1;
                }
                bytes += 2; // 4 bytes for 2 chars
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    private static int putInt(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
        return at + 4;
    }

    /** Writes the length-prefixed UTF-8 of {@code s} (already checked by utf8Length). */
    private static int put(byte[] out, int at, String s) {
        int lenAt = at;
        at += 4;
        int start = at;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | (cp >> 18));
                out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        putInt(out, lenAt, at - start);
        return at;
    }
}
