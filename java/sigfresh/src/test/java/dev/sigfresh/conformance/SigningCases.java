package dev.sigfresh.conformance;

import static dev.sigfresh.conformance.Support.fail;
import static dev.sigfresh.conformance.Support.list;
import static dev.sigfresh.conformance.Support.need;
import static dev.sigfresh.conformance.Support.obj;
import static dev.sigfresh.conformance.Support.onlyKnown;
import static dev.sigfresh.conformance.Support.str;

import dev.sigfresh.MiniJson;
import dev.sigfresh.SigfreshException;
import dev.sigfresh.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Kinds "sigv4-suite" and "signing" through {@code NativeApi}: {@code rawRequestParse},
 * {@code signerNew} (every settings slot) and {@code signOutput} (every stage).
 */
final class SigningCases {
    private SigningCases() {}

    static final String[] PAYLOADS = {
        "bytes", "precomputed", "unsigned", "streaming-signed", "streaming-signed-trailer", "streaming-unsigned-trailer"
    };

    // ------------------------------------------------------------------ the official suite

    static String suiteFile(String rel, String ext) {
        String base = rel.substring(rel.lastIndexOf('/') + 1);
        Path p = Support.vectors().resolve("sigv4-suite").resolve(rel).resolve(base + "." + ext);
        return Files.exists(p) ? Support.readText(p) : null;
    }

    /** One suite case ({@code rel} = its directory under sigv4-suite/) with its manifest options. */
    static void suiteCase(NativeApi api, Map<String, Object> manifest, String rel) {
        Map<String, Object> d = obj(manifest, "defaults");
        Map<String, Object> opts = obj(obj(manifest, "cases"), rel);
        onlyKnown(opts, "suite option", "reason", "session_token", "fix_creq", "skip_sts_authz", "body_as_query",
                "time");
        String base = rel.substring(rel.lastIndexOf('/') + 1);
        Path reqPath = Support.vectors().resolve("sigv4-suite").resolve(rel).resolve(base + ".req");
        byte[] req = Files.exists(reqPath) ? Support.readBytes(reqPath) : null;
        String creq = suiteFile(rel, "creq");
        String sts = suiteFile(rel, "sts");
        String authz = suiteFile(rel, "authz");
        if (req == null || creq == null) {
            throw fail("missing .req or .creq");
        }
        long at;
        String region = need(d, "region");
        String service = need(d, "service");
        if (sts != null) {
            String[] lines = sts.split("\n");
            if (lines.length < 3) {
                throw fail("short .sts");
            }
            at = Support.time(api, lines[1]);
            String[] scope = lines[2].split("/");
            if (scope.length < 4) {
                throw fail("bad .sts scope");
            }
            region = scope[1];
            service = scope[2];
        } else {
            at = Support.time(api, str(opts, "time"));
        }
        Object[] raw = api.rawRequestParse(req);
        String[] line = (String[]) raw[0];
        String[] headers = (String[]) raw[1];
        String target = line[1];
        if (Boolean.TRUE.equals(opts.get("body_as_query"))) {
            target = target + "?" + new String((byte[]) raw[2], StandardCharsets.UTF_8);
        }
        String mode = str(opts, "session_token");
        String token = null;
        long[] settings = defaultSettings();
        if (mode != null) {
            token = need(d, "session_token");
            settings[NativeApi.SETTINGS_SESSION_TOKEN_MODE] = sessionTokenMode(mode);
        }
        String[][] out;
        long creds = api.credentialsNew(need(d, "access_key_id"), need(d, "secret_access_key"), token,
                NativeApi.ABSENT_TIME, null, 0);
        long signer = 0;
        try {
            signer = api.signerNew(region, service, settings, null);
            out = api.signOutput(signer, line[0], target, headers, 0, new byte[0], creds, at);
        } finally {
            api.signerFree(signer);
            api.credentialsFree(creds);
        }
        List<Object> fix = list(opts, "fix_creq");
        if (!fix.isEmpty()) {
            String wrong = (String) fix.get(0);
            if (!creq.contains(wrong)) {
                throw fail("the known .creq error is no longer there");
            }
            int i = creq.indexOf(wrong);
            creq = creq.substring(0, i) + fix.get(1) + creq.substring(i + wrong.length());
        }
        Support.eq("canonical request", out[0][0], creq);
        if (!Boolean.TRUE.equals(opts.get("skip_sts_authz"))) {
            if (sts != null) {
                Support.eq("string to sign", out[0][1], sts.replaceAll("\n+$", ""));
            }
            if (authz != null) {
                Support.eq("authorization", out[0][3], authz);
            }
        }
    }

    // ------------------------------------------------------------------ our signing cases

    static long[] defaultSettings() {
        long[] s = new long[NativeApi.SETTINGS_LENGTH];
        Arrays.fill(s, -1);
        s[NativeApi.SETTINGS_BASE] = 0;
        return s;
    }

    static int sessionTokenMode(String mode) {
        switch (mode) {
            case "signed":
                return 0;
            case "append-after-signing":
                return 1;
            default:
                throw fail("unknown session_token mode " + mode);
        }
    }

    /** The case's settings into {@code NativeApi.SETTINGS_*} slots; returns the header list. */
    static String[] settings(Map<String, Object> v, long[] s) {
        onlyKnown(v, "setting", "uri_encoding", "path_normalization", "session_token", "content_sha256", "headers",
                "presign_expires");
        String enc = str(v, "uri_encoding");
        if (enc != null) {
            s[NativeApi.SETTINGS_URI_ENCODING] = Support.indexOf(new String[] {"double", "single"}, enc, "uri_encoding");
        }
        Object norm = v.get("path_normalization");
        if (norm != null) {
            s[NativeApi.SETTINGS_PATH_NORMALIZATION] = Boolean.TRUE.equals(norm) ? 0 : 1;
        }
        String tok = str(v, "session_token");
        if (tok != null) {
            s[NativeApi.SETTINGS_SESSION_TOKEN_MODE] = sessionTokenMode(tok);
        }
        Object sha = v.get("content_sha256");
        if (sha != null) {
            s[NativeApi.SETTINGS_CONTENT_SHA256] = Boolean.TRUE.equals(sha) ? 1 : 0;
        }
        Object expires = v.get("presign_expires");
        if (expires != null) {
            s[NativeApi.SETTINGS_LOCATION] = 1;
            s[NativeApi.SETTINGS_EXPIRES_IN_SECS] = Support.num(expires, "presign_expires");
        }
        Map<String, Object> h = obj(v, "headers");
        onlyKnown(h, "header selection", "allow", "deny");
        if (h.isEmpty()) {
            return null;
        }
        boolean allow = h.containsKey("allow");
        s[NativeApi.SETTINGS_HEADER_SELECTION] = allow ? 1 : 2;
        return list(h, allow ? "allow" : "deny").toArray(new String[0]);
    }

    static void signing(NativeApi api, Map<String, Object> c) {
        onlyKnown(c, "field", "description", "peers", "request", "credentials", "region", "service", "time",
                "settings", "expect");
        Map<String, Object> r = obj(c, "request");
        onlyKnown(r, "request field", "method", "uri", "headers", "body", "payload");
        Map<String, Object> cr = obj(c, "credentials");
        onlyKnown(cr, "credentials field", "access_key_id", "secret_access_key", "session_token");
        Map<String, Object> expect = obj(c, "expect");
        String body = str(r, "body");
        int payloadKind = 0;
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Object pl = r.get("payload");
        if (pl instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) pl;
            onlyKnown(p, "payload", "precomputed");
            payloadKind = 1;
            payload = need(p, "precomputed").getBytes(StandardCharsets.US_ASCII);
        } else if (pl instanceof String) {
            payloadKind = Support.indexOf(PAYLOADS, (String) pl, "payload");
            if (payloadKind == 1) {
                throw fail("payload \"precomputed\" needs the hash: {\"precomputed\": \"<hex>\"}");
            }
        } else if (pl != null) {
            throw fail("bad payload " + pl);
        }
        long[] s = defaultSettings();
        String[] names = settings(obj(c, "settings"), s);
        long at = Support.time(api, str(c, "time"));
        String[] headers = Support.pairs(list(r, "headers"));
        String wantError = str(expect, "error");
        long creds = api.credentialsNew(need(cr, "access_key_id"), need(cr, "secret_access_key"),
                str(cr, "session_token"), NativeApi.ABSENT_TIME, null, 0);
        long signer = 0;
        String[][] out;
        try {
            signer = api.signerNew(need(c, "region"), need(c, "service"), s, names);
            out = api.signOutput(signer, need(r, "method"), need(r, "uri"), headers, payloadKind, payload, creds, at);
        } catch (SigfreshException e) {
            if (wantError == null) {
                throw fail("sign: " + e.getMessage());
            }
            onlyKnown(expect, "expectation", "error", "mentions");
            Support.eq("error", Support.kindName(e.codeName(), null), wantError);
            String mentions = str(expect, "mentions");
            if (mentions != null && !e.detail().contains(mentions)) {
                throw fail("error \"" + e.detail() + "\" does not mention \"" + mentions + "\"");
            }
            return;
        } finally {
            api.signerFree(signer);
            api.credentialsFree(creds);
        }
        if (wantError != null) {
            throw fail("signed, but " + wantError + " was expected");
        }
        checkOutput(out, expect);
    }

    static void checkOutput(String[][] out, Map<String, Object> expect) {
        for (Map.Entry<String, Object> e : expect.entrySet()) {
            String k = e.getKey();
            Object w = e.getValue() == MiniJson.NULL ? null : e.getValue();
            switch (k) {
                case "canonical_request":
                    Support.eq(k, out[0][0], w);
                    break;
                case "string_to_sign":
                    Support.eq(k, out[0][1], w);
                    break;
                case "signature":
                    Support.eq(k, out[0][2], w);
                    break;
                case "authorization":
                    Support.eq(k, out[0][3], w);
                    break;
                case "headers":
                    Support.eq(k, sorted(out[1]), wantPairs(w));
                    break;
                case "query_params":
                    Support.eq(k, sorted(out[2]), wantPairs(w));
                    break;
                default:
                    throw fail("unknown expectation " + k);
            }
        }
    }

    /** Flat pairs as "name=value" strings sorted by the UTF-8 bytes of name, then value. */
    static List<String> sorted(String[] flat) {
        List<String[]> l = new ArrayList<>();
        for (int i = 0; i < flat.length; i += 2) {
            l.add(new String[] {flat[i], flat[i + 1]});
        }
        l.sort((a, b) -> {
            int x = compareUtf8(a[0], b[0]);
            return x != 0 ? x : compareUtf8(a[1], b[1]);
        });
        List<String> out = new ArrayList<>();
        for (String[] p : l) {
            out.add(p[0] + "=" + p[1]);
        }
        return out;
    }

    static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int d = (x[i] & 0xff) - (y[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return x.length - y.length;
    }

    static List<String> wantPairs(Object w) {
        List<String> out = new ArrayList<>();
        for (Object p : (List<?>) w) {
            List<?> pair = (List<?>) p;
            out.add(pair.get(0) + "=" + pair.get(1));
        }
        return out;
    }
}
