package dev.sigfresh.internal.panama;

import static dev.sigfresh.internal.NativeApi.ABSENT_TIME;

import dev.sigfresh.internal.NativeApi;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/** Signers, signing, verification and raw requests (see PanamaNative). */
final class PanamaSigning {
    private PanamaSigning() {}

    private static RuntimeException rethrow(Throwable t) {
        return Errors.<RuntimeException>rethrow(t);
    }

    /** SIGFRESH_MAX_SIGNING_HEADERS. */
    private static final long MAX_SIGNING_HEADERS = 4;
    /** The first buffer for header signing; a typical request needs about 400 bytes. */
    private static final long SIGN_BUFFER = 2048;

    /** The header names signing produces, decoded once (compared bytewise before use). */
    private static final String[] KNOWN_NAMES = {
        "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization",
    };
    private static final byte[][] KNOWN_BYTES = new byte[KNOWN_NAMES.length][];

    static {
        for (int i = 0; i < KNOWN_NAMES.length; i++) {
            KNOWN_BYTES[i] = KNOWN_NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A u32 slot: -1 means "keep the default" (returns -1); else 0..2^32-1. */
    private static long u32Slot(long[] slots, int index, String what) {
        long v = slots[index];
        if (v == -1 || (v >= 0 && v <= 0xFFFF_FFFFL)) {
            return v;
        }
        throw Errors.error(Errors.INVALID_ARGUMENT,
            "`" + what + "[" + index + "]`: " + v + " is neither -1 nor a 32-bit unsigned value");
    }

    // ------------------------------------------------------------------ signer

    static long signerNew(String region, String service, long[] settings, String[] headerNames) {
        if (settings == null) {
            throw Errors.nullArgument("settings");
        }
        if (settings.length != 8) {
            throw Errors.invalid("settings", "has " + settings.length + " slots, expected 8");
        }
        Scratch s = Scratch.acquire();
        long set = 0;
        try {
            long r = s.text(region, "region");
            long rLen = s.lastLen;
            long sv = s.text(service, "service");
            long svLen = s.lastLen;
            long names = 0;
            long namesLen = 0;
            if (headerNames != null) {
                names = s.strs(headerNames, "headerNames");
                namesLen = headerNames.length;
            }
            long base = u32Slot(settings, 0, "settings");
            long uri = u32Slot(settings, 1, "settings");
            long norm = u32Slot(settings, 2, "settings");
            long token = u32Slot(settings, 3, "settings");
            long sha = u32Slot(settings, 4, "settings");
            long sel = u32Slot(settings, 5, "settings");
            long loc = u32Slot(settings, 6, "settings");
            long expires = u32Slot(settings, 7, "settings");
            Errors.check(base == 1
                ? (int) C.sigfresh_signing_settings_new_s3.invokeExact(s.out0)
                : (int) C.sigfresh_signing_settings_new.invokeExact(s.out0));
            set = Scratch.getLong(s.out0);
            if (uri != -1) {
                Errors.check((int) C.sigfresh_signing_settings_set_uri_encoding.invokeExact(set, (int) uri));
            }
            if (norm != -1) {
                Errors.check((int) C.sigfresh_signing_settings_set_path_normalization.invokeExact(set, (int) norm));
            }
            if (token != -1) {
                Errors.check((int) C.sigfresh_signing_settings_set_session_token_mode.invokeExact(set, (int) token));
            }
            if (sha != -1) {
                Errors.check((int) C.sigfresh_signing_settings_set_content_sha256.invokeExact(set, (int) sha));
            }
            if (sel != -1) {
                Errors.check((int) C.sigfresh_signing_settings_set_header_selection.invokeExact(set, (int) sel,
                    names, namesLen));
            }
            if (loc != -1) {
                Errors.check((int) C.sigfresh_signing_settings_set_location.invokeExact(set, (int) loc,
                    (int) (expires == -1 ? 0 : expires)));
            }
            Errors.check((int) C.sigfresh_signer_new.invokeExact(set, r, rLen, sv, svLen, s.out0));
            return Scratch.getLong(s.out0);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            try {
                if (set != 0) {
                    int ignored = (int) C.sigfresh_signing_settings_free.invokeExact(set);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.release();
            }
        }
    }

    /** Writes a sigfresh_request into {@code s} and returns its address. */
    static long request(Scratch s, String method, String uri, String[] headers, int payloadKind, byte[] payload) {
        long req = s.alloc(Layouts.REQ_SIZE);
        long m = s.text(method, "method");
        Scratch.putLong(req + Layouts.REQ_METHOD, m);
        Scratch.putLong(req + Layouts.REQ_METHOD_LEN, s.lastLen);
        long u = s.text(uri, "uri");
        Scratch.putLong(req + Layouts.REQ_URI, u);
        Scratch.putLong(req + Layouts.REQ_URI_LEN, s.lastLen);
        long hs = s.pairs(headers, "headers");
        Scratch.putLong(req + Layouts.REQ_HEADERS, hs);
        Scratch.putLong(req + Layouts.REQ_HEADERS_LEN, headers.length >> 1);
        Scratch.putLong(req + Layouts.REQ_PAYLOAD_KIND, 0); // kind and its padding
        Scratch.putInt(req + Layouts.REQ_PAYLOAD_KIND, payloadKind);
        long d = s.bytesOrEmpty(payload);
        Scratch.putLong(req + Layouts.REQ_PAYLOAD_DATA, d);
        Scratch.putLong(req + Layouts.REQ_PAYLOAD_LEN, s.lastLen);
        return req;
    }

    static String[] sign(long signer, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long credentials, long timeMs) {
        Errors.handle(signer, "signer");
        Errors.handle(credentials, "credentials");
        Scratch s = Scratch.acquire();
        try {
            long req = request(s, method, uri, headers, payloadKind, payloadData);
            long out = s.alloc(MAX_SIGNING_HEADERS * Layouts.PAIR_SIZE);
            long cap = SIGN_BUFFER;
            for (;;) {
                long buf = s.alloc(cap);
                int rc = large(payloadData)
                    ? (int) C.sigfresh_signer_sign_large.invokeExact(signer, req, credentials, timeMs,
                        buf, cap, out, MAX_SIGNING_HEADERS, s.out0, s.out1)
                    : (int) C.sigfresh_signer_sign.invokeExact(signer, req, credentials, timeMs,
                        buf, cap, out, MAX_SIGNING_HEADERS, s.out0, s.out1);
                if (rc == Errors.OK) {
                    int count = (int) Scratch.getLong(s.out0);
                    String[] result = new String[2 * count];
                    for (int i = 0; i < count; i++) {
                        long p = out + i * Layouts.PAIR_SIZE;
                        result[2 * i] = headerName(Scratch.getLong(p + Layouts.PAIR_NAME),
                            Scratch.getLong(p + Layouts.PAIR_NAME_LEN));
                        result[2 * i + 1] = Scratch.stringAt(Scratch.getLong(p + Layouts.PAIR_VALUE),
                            Scratch.getLong(p + Layouts.PAIR_VALUE_LEN));
                    }
                    // x-amz-security-token is in there for temporary credentials.
                    Scratch.wipe(buf, Math.min(cap, Scratch.getLong(s.out1)));
                    return result;
                }
                long needed = Scratch.getLong(s.out1);
                if (rc != Errors.BUFFER_TOO_SMALL || needed <= cap) {
                    throw Errors.error(rc);
                }
                cap = needed;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            s.release();
        }
    }

    private static boolean large(byte[] payload) {
        return payload != null && payload.length > C.CRITICAL_PAYLOAD_LIMIT;
    }

    /** One of the known signing header names without decoding, else the decoded text. */
    private static String headerName(long address, long len) {
        for (int i = 0; i < KNOWN_BYTES.length; i++) {
            byte[] k = KNOWN_BYTES[i];
            if (k.length == len && matches(address, k)) {
                return KNOWN_NAMES[i];
            }
        }
        return Scratch.stringAt(address, len);
    }

    private static boolean matches(long address, byte[] k) {
        for (int j = 0; j < k.length; j++) {
            if (Scratch.ALL.get(ValueLayout.JAVA_BYTE, address + j) != k[j]) {
                return false;
            }
        }
        return true;
    }

    static String presign(long signer, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long credentials, long timeMs) {
        Errors.handle(signer, "signer");
        Errors.handle(credentials, "credentials");
        Scratch s = Scratch.acquire();
        try {
            long req = request(s, method, uri, headers, payloadKind, payloadData);
            long first = 2048 + 3L * uri.length();
            // The URL carries X-Amz-Security-Token for temporary credentials: wiped after reading.
            if (large(payloadData)) {
                return Calls.secretText(s, (b, n, l) -> (int) C.sigfresh_signer_presign_large.invokeExact(signer,
                    req, credentials, timeMs, b, n, l), false, first);
            }
            return Calls.secretText(s, (b, n, l) -> (int) C.sigfresh_signer_presign.invokeExact(signer, req,
                credentials, timeMs, b, n, l), false, first);
        } finally {
            s.release();
        }
    }

    static String[][] signOutput(long signer, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long credentials, long timeMs) {
        Errors.handle(signer, "signer");
        Errors.handle(credentials, "credentials");
        Scratch s = Scratch.acquire();
        long output = 0;
        try {
            long req = request(s, method, uri, headers, payloadKind, payloadData);
            Errors.check(large(payloadData)
                ? (int) C.sigfresh_signer_sign_output_large.invokeExact(signer, req, credentials, timeMs, s.out0)
                : (int) C.sigfresh_signer_sign_output.invokeExact(signer, req, credentials, timeMs, s.out0));
            long o = output = Scratch.getLong(s.out0);
            String[] stages = {
                Calls.str(s, x -> (int) C.sigfresh_signing_output_canonical_request.invokeExact(o, x), false),
                Calls.str(s, x -> (int) C.sigfresh_signing_output_string_to_sign.invokeExact(o, x), false),
                Calls.str(s, x -> (int) C.sigfresh_signing_output_signature.invokeExact(o, x), false),
                Calls.str(s, x -> (int) C.sigfresh_signing_output_authorization.invokeExact(o, x), true),
                Calls.str(s, x -> (int) C.sigfresh_signing_output_signed_uri.invokeExact(o, x), true),
            };
            long hc = Calls.i64(s, x -> (int) C.sigfresh_signing_output_header_count.invokeExact(o, x));
            String[] hs = new String[2 * (int) hc];
            for (long i = 0; i < hc; i++) {
                Errors.check((int) C.sigfresh_signing_output_header.invokeExact(o, i, s.outStruct));
                readPair(s.outStruct, hs, (int) i);
            }
            long qc = Calls.i64(s, x -> (int) C.sigfresh_signing_output_query_param_count.invokeExact(o, x));
            String[] qs = new String[2 * (int) qc];
            for (long i = 0; i < qc; i++) {
                Errors.check((int) C.sigfresh_signing_output_query_param.invokeExact(o, i, s.outStruct));
                readPair(s.outStruct, qs, (int) i);
            }
            return new String[][] {stages, hs, qs};
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            try {
                if (output != 0) {
                    int ignored = (int) C.sigfresh_signing_output_free.invokeExact(output);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.release();
            }
        }
    }

    /** Reads a sigfresh_pair at {@code pair} into {@code flat[2i], flat[2i+1]}. */
    static void readPair(long pair, String[] flat, int i) {
        flat[2 * i] = Scratch.stringAt(Scratch.getLong(pair + Layouts.PAIR_NAME), Scratch.getLong(pair + Layouts.PAIR_NAME_LEN));
        flat[2 * i + 1] = Scratch.stringAt(Scratch.getLong(pair + Layouts.PAIR_VALUE), Scratch.getLong(pair + Layouts.PAIR_VALUE_LEN));
    }

    // ------------------------------------------------------------------ verification

    static long verifierNew(long[] settings) {
        if (settings == null) {
            throw Errors.nullArgument("settings");
        }
        if (settings.length != 5) {
            throw Errors.invalid("settings", "has " + settings.length + " slots, expected 5");
        }
        long base = u32Slot(settings, 0, "settings");
        long uri = u32Slot(settings, 1, "settings");
        long norm = u32Slot(settings, 2, "settings");
        long token = u32Slot(settings, 3, "settings");
        long skew = u32Slot(settings, 4, "settings");
        Scratch s = Scratch.acquire();
        long v = 0;
        try {
            Errors.check(base == 1
                ? (int) C.sigfresh_verifier_new_s3.invokeExact(s.out0)
                : (int) C.sigfresh_verifier_new.invokeExact(s.out0));
            v = Scratch.getLong(s.out0);
            if (uri != -1) {
                Errors.check((int) C.sigfresh_verifier_set_uri_encoding.invokeExact(v, (int) uri));
            }
            if (norm != -1) {
                Errors.check((int) C.sigfresh_verifier_set_path_normalization.invokeExact(v, (int) norm));
            }
            if (token != -1) {
                Errors.check((int) C.sigfresh_verifier_set_session_token_mode.invokeExact(v, (int) token));
            }
            if (skew != -1) {
                Errors.check((int) C.sigfresh_verifier_set_max_skew_secs.invokeExact(v, (int) skew));
            }
            long made = v;
            v = 0;
            return made;
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            try {
                if (v != 0) {
                    int ignored = (int) C.sigfresh_verifier_free.invokeExact(v);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.release();
            }
        }
    }

    /**
     * What the lookup upcall answers from, for the verify call running on this thread: either
     * candidate handles with their access key ids, or a Java lookup (whose exception is kept
     * here and rethrown after the downcall).
     */
    private static final class LookupContext {
        long[] handles;
        byte[][] ids;
        NativeApi.CredentialsLookup lookup;
        Throwable thrown;
    }

    private static final ThreadLocal<LookupContext> LOOKUP = new ThreadLocal<>();

    private static final long LOOKUP_STUB;

    static {
        LOOKUP_STUB = lookupStub();
    }

    @SuppressWarnings("restricted")
    private static long lookupStub() {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(PanamaSigning.class, "lookup",
                MethodType.methodType(long.class, long.class, long.class, long.class));
            return Linker.nativeLinker().upcallStub(target,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG),
                Arena.global()).address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The {@code sigfresh_credentials_lookup} upcall. Never throws: an exception escaping an
     * upcall ends the JVM, so a Java lookup's exception is kept for {@link #verifyWith} to
     * rethrow and NULL is answered.
     */
    @SuppressWarnings("unused")
    private static long lookup(long userdata, long accessKeyId, long len) {
        LookupContext c = null;
        try {
            c = LOOKUP.get();
            if (c == null) {
                return 0;
            }
            if (c.lookup != null) {
                return c.lookup.find(Scratch.stringAt(accessKeyId, len));
            }
            for (int i = 0; i < c.handles.length; i++) {
                if (c.ids[i].length == len && matches(accessKeyId, c.ids[i])) {
                    return c.handles[i];
                }
            }
            return 0;
        } catch (Throwable t) {
            if (c != null && c.thrown == null) {
                c.thrown = t;
            }
            return 0;
        }
    }

    static String[] verify(long verifier, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long[] candidates, long nowMs) {
        return verifyWith(verifier, method, uri, headers, payloadKind, payloadData, candidates, null, nowMs);
    }

    static String[] verifyWithLookup(long verifier, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, NativeApi.CredentialsLookup lookup, long nowMs) {
        Errors.handle(verifier, "verifier");
        if (lookup == null) {
            throw Errors.nullArgument("lookup");
        }
        return verifyWith(verifier, method, uri, headers, payloadKind, payloadData, null, lookup, nowMs);
    }

    private static String[] verifyWith(long verifier, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long[] candidates, NativeApi.CredentialsLookup lookup, long nowMs) {
        Errors.handle(verifier, "verifier");
        Scratch s = Scratch.acquire();
        long verified = 0;
        LookupContext previous = LOOKUP.get();
        try {
            long req = request(s, method, uri, headers, payloadKind, payloadData);
            LookupContext ctx = new LookupContext();
            if (lookup != null) {
                ctx.lookup = lookup;
            } else {
                if (candidates == null) {
                    throw Errors.nullArgument("candidates");
                }
                byte[][] ids = new byte[candidates.length][];
                for (int i = 0; i < candidates.length; i++) {
                    long c = candidates[i];
                    Errors.handle(c, "candidates[" + i + "]");
                    String id = Calls.text(s, (b, n, l) -> (int) C.sigfresh_credentials_access_key_id.invokeExact(c, b, n, l), false);
                    ids[i] = id.getBytes(StandardCharsets.UTF_8);
                }
                ctx.handles = candidates.clone();
                ctx.ids = ids;
            }
            LOOKUP.set(ctx);
            int rc = (int) C.sigfresh_verifier_verify.invokeExact(verifier, req, LOOKUP_STUB, 0L, nowMs, s.out0);
            LOOKUP.set(previous);
            if (rc == Errors.OK) {
                verified = Scratch.getLong(s.out0);
            }
            if (ctx.thrown != null) {
                throw ctx.thrown;
            }
            Errors.check(rc);
            long v = verified;
            String ak = Calls.str(s, x -> (int) C.sigfresh_verified_access_key_id.invokeExact(v, x), false);
            String region = Calls.str(s, x -> (int) C.sigfresh_verified_region.invokeExact(v, x), false);
            String service = Calls.str(s, x -> (int) C.sigfresh_verified_service.invokeExact(v, x), false);
            long signedAt = Calls.i64(s, x -> (int) C.sigfresh_verified_signed_at.invokeExact(v, x));
            long expiresAt = Calls.i64(s, x -> (int) C.sigfresh_verified_expires_at.invokeExact(v, x), ABSENT_TIME);
            long count = Calls.i64(s, x -> (int) C.sigfresh_verified_signed_header_count.invokeExact(v, x));
            String[] result = new String[5 + (int) count];
            result[0] = ak;
            result[1] = region;
            result[2] = service;
            result[3] = Long.toString(signedAt);
            result[4] = expiresAt == ABSENT_TIME ? null : Long.toString(expiresAt);
            for (long i = 0; i < count; i++) {
                long index = i;
                result[5 + (int) i] = Calls.str(s, x -> (int) C.sigfresh_verified_signed_header.invokeExact(v, index, x), false);
            }
            return result;
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            LOOKUP.set(previous);
            try {
                if (verified != 0) {
                    int ignored = (int) C.sigfresh_verified_free.invokeExact(verified);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.wipeAll();
                s.release();
            }
        }
    }

    // ------------------------------------------------------------------ raw requests

    static Object[] rawRequestParse(byte[] text) {
        if (text == null) {
            throw Errors.nullArgument("text");
        }
        Scratch s = Scratch.acquire();
        long parsed = 0;
        try {
            long t = s.bytesOrEmpty(text);
            Errors.check((int) C.sigfresh_raw_request_parse.invokeExact(t, s.lastLen, s.out0));
            long r = parsed = Scratch.getLong(s.out0);
            String[] line = {
                Calls.str(s, x -> (int) C.sigfresh_raw_request_method.invokeExact(r, x), false),
                Calls.str(s, x -> (int) C.sigfresh_raw_request_target.invokeExact(r, x), false),
                Calls.str(s, x -> (int) C.sigfresh_raw_request_version.invokeExact(r, x), true),
            };
            long count = Calls.i64(s, x -> (int) C.sigfresh_raw_request_header_count.invokeExact(r, x));
            String[] hs = new String[2 * (int) count];
            for (long i = 0; i < count; i++) {
                Errors.check((int) C.sigfresh_raw_request_header.invokeExact(r, i, s.outStruct));
                readPair(s.outStruct, hs, (int) i);
            }
            Errors.check((int) C.sigfresh_raw_request_body.invokeExact(r, s.outStruct));
            byte[] body = Scratch.bytesAt(Scratch.getLong(s.outStruct + Layouts.STR_PTR),
                Scratch.getLong(s.outStruct + Layouts.STR_LEN));
            return new Object[] {line, hs, body};
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            try {
                if (parsed != 0) {
                    int ignored = (int) C.sigfresh_raw_request_free.invokeExact(parsed);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                s.release();
            }
        }
    }
}
