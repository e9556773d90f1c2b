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
import java.util.Arrays;
import java.util.Map;

/**
 * Kinds "documents" ({@code documentParse}, {@code documentParseEnv}, {@code profileSetParse} +
 * {@code profileSetCredentials}) and "errors" ({@code classify} with a fresh {@code skewNew}
 * tracker, {@code skewInfo}) through {@code NativeApi}.
 */
final class StateCases {
    private StateCases() {}

    /** {@code documentParse} formats, indexed by SIGFRESH_FORMAT_*. */
    static final String[] FORMATS = {"imds", "container", "process", "sso", "sts"};

    // ------------------------------------------------------------------ documents

    /** The credentials handle the input gives, or 0 for "no credentials"; throws the core's error. */
    static long parseInput(NativeApi api, Map<String, Object> c) {
        Map<String, Object> input = obj(c, "input");
        String format = need(c, "format");
        if (format.equals("env")) {
            onlyKnown(input, "input", "env");
            try {
                return api.documentParseEnv(Support.objectPairs(obj(input, "env")));
            } catch (SigfreshException e) {
                if (e.codeName().equals("SIGFRESH_ABSENT")) {
                    return 0;
                }
                throw e;
            }
        }
        if (format.equals("profile")) {
            onlyKnown(input, "input", "credentials_file", "config_file", "profile");
            String cp = str(input, "credentials_file");
            String fp = str(input, "config_file");
            String cred = cp == null ? null : new String(Support.readBytes(cp), StandardCharsets.UTF_8);
            String conf = fp == null ? null : new String(Support.readBytes(fp), StandardCharsets.UTF_8);
            long set = api.profileSetParse(cred, conf);
            try {
                return api.profileSetCredentials(set, need(input, "profile"));
            } catch (SigfreshException e) {
                if (e.codeName().equals("SIGFRESH_NOT_FOUND") || e.codeName().equals("SIGFRESH_ABSENT")) {
                    return 0;
                }
                throw e;
            } finally {
                api.profileSetFree(set);
            }
        }
        onlyKnown(input, "input", "file", "pad_to");
        int fmt = Support.indexOf(FORMATS, format, "format");
        byte[] bytes = Support.readBytes(need(input, "file"));
        Object pad = input.get("pad_to");
        if (pad != null) {
            int to = (int) Support.num(pad, "pad_to");
            if (to > bytes.length) {
                int from = bytes.length;
                bytes = Arrays.copyOf(bytes, to);
                Arrays.fill(bytes, from, to, (byte) ' ');
            }
        }
        return api.documentParse(fmt, bytes);
    }

    static void document(NativeApi api, Map<String, Object> c) {
        onlyKnown(c, "field", "description", "format", "input", "expect");
        Map<String, Object> expect = obj(c, "expect");
        String wantError = str(expect, "error");
        long creds;
        try {
            creds = parseInput(api, c);
        } catch (SigfreshException e) {
            if (wantError == null) {
                throw fail("unexpected error " + e.getMessage());
            }
            onlyKnown(expect, "expectation", "error", "mentions", "mentions_code");
            Support.eq("error", Support.kindName(e.codeName(), null), wantError);
            for (String k : new String[] {"mentions", "mentions_code"}) {
                String m = str(expect, k);
                if (m != null && !e.detail().contains(m)) {
                    throw fail("error \"" + e.detail() + "\" does not mention \"" + m + "\"");
                }
            }
            return;
        }
        try {
            if (wantError != null) {
                throw fail((creds == 0 ? "no credentials" : "parsed") + ", but " + wantError + " was expected");
            }
            if (creds == 0) {
                onlyKnown(expect, "expectation", "none");
                if (!Boolean.TRUE.equals(expect.get("none"))) {
                    throw fail("no credentials, want credentials");
                }
                return;
            }
            if (expect.containsKey("none")) {
                throw fail("parsed, but no credentials were expected");
            }
            Support.checkCredentials(api, creds, expect);
        } finally {
            api.credentialsFree(creds);
        }
    }

    // ------------------------------------------------------------------ error classification

    static final String[] ACTIONS = {
        "refresh_credentials_and_retry", "correct_clock_and_retry", "throttled", "retry_transient", "fatal"
    };
    static final String[] KINDS = {
        "expired_token", "credentials_not_recognized", "clock_skew", "throttling", "transient", "signature_mismatch",
        "access_denied", "other"
    };
    static final String[] VERDICTS = {"definite", "likely", "possible", "unlikely", "not_skew"};

    static Object absentMs(long v) {
        return v == NativeApi.ABSENT_TIME ? null : (Object) v;
    }

    static void error(NativeApi api, Map<String, Object> c) {
        onlyKnown(c, "field", "description", "status", "headers", "body_file", "local_now", "expect",
                "must_not_contain");
        String bf = str(c, "body_file");
        byte[] body = bf == null ? new byte[0] : Support.readBytes(bf);
        long now = Support.time(api, str(c, "local_now"));
        int status = (int) Support.num(c.get("status"), "status");
        long skew = api.skewNew(NativeApi.ABSENT_TIME);
        Object[] got;
        long offsetAfter;
        try {
            got = api.classify(status, Support.pairs(list(c, "headers")), body, skew, now, 0);
            offsetAfter = api.skewInfo(skew)[1];
        } finally {
            api.skewFree(skew);
        }
        long[] n = (long[]) got[0];
        String[] text = (String[]) got[1];
        for (Map.Entry<String, Object> e : obj(c, "expect").entrySet()) {
            String k = e.getKey();
            Object w = e.getValue() == MiniJson.NULL ? null : e.getValue();
            switch (k) {
                case "action":
                    Support.eq(k, Support.name(ACTIONS, n[NativeApi.CLASS_ACTION]), w);
                    break;
                case "kind":
                    Support.eq(k, Support.name(KINDS, n[NativeApi.CLASS_KIND]), w);
                    break;
                case "skew_verdict":
                    Support.eq(k, Support.name(VERDICTS, n[NativeApi.CLASS_SKEW_VERDICT]), w);
                    break;
                case "code":
                    Support.eq(k, text[0], w);
                    break;
                case "message":
                    Support.eq(k, text[1], w);
                    break;
                case "skew_ms":
                    Support.eq(k, absentMs(n[NativeApi.CLASS_SKEW]), w);
                    break;
                case "server_time":
                    Support.eq(k, absentMs(n[NativeApi.CLASS_SERVER_TIME]),
                            w == null ? null : (Object) Support.time(api, (String) w));
                    break;
                case "offset_after_ms":
                    Support.eq(k, offsetAfter, w);
                    break;
                default:
                    throw fail("unknown expectation " + k);
            }
        }
        // The classification never echoes what the body carried that is secret.
        for (Object secret : list(c, "must_not_contain")) {
            for (String t : text) {
                if (t != null && t.contains((String) secret)) {
                    throw fail("the classification echoes \"" + secret + "\"");
                }
            }
        }
    }
}
