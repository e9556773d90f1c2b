package dev.sigfresh.internal.panama;

import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A main-method smoke test of the low-level layer, runnable with plain javac/java:
 * struct sizes and offsets against the values gcc computes from include/sigfresh.h (written
 * down from {@code offsetof}/{@code sizeof} on linux-x86_64), every handle linked, and one
 * official-suite signature (get-vanilla) computed through raw downcalls.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dsigfresh.library.path=.../libsigfresh_ffi.so \
 *      -Dsigfresh.suite=tests/vectors/sigv4-suite -cp ... dev.sigfresh.internal.panama.PanamaSmoke
 * </pre>
 */
public final class PanamaSmoke {
    private static int failures;

    public static void main(String[] args) throws Throwable {
        layouts();
        linked();
        vanilla();
        if (failures > 0) {
            System.out.println("FAILED: " + failures);
            System.exit(1);
        }
        System.out.println("OK");
    }

    private static void eq(String what, long expected, long actual) {
        if (expected != actual) {
            failures++;
            System.out.println("MISMATCH " + what + ": expected " + expected + ", got " + actual);
        }
    }

    private static void size(StructLayout l, long gcc) {
        eq(l.name().orElse("?") + " size", gcc, l.byteSize());
    }

    /** gcc 12, x86_64: sizeof/offsetof of every struct in include/sigfresh.h. */
    private static void layouts() {
        size(Layouts.PAIR, 32);
        eq("pair.name_len", 8, Layouts.PAIR_NAME_LEN);
        eq("pair.value", 16, Layouts.PAIR_VALUE);
        eq("pair.value_len", 24, Layouts.PAIR_VALUE_LEN);
        size(Layouts.STR, 16);
        eq("str.len", 8, Layouts.STR_LEN);
        size(Layouts.BYTES, 16);
        size(Layouts.SKEW_CHANGE, 32);
        eq("skew.previous_ms", 8, Layouts.SKEW_PREVIOUS);
        eq("skew.offset_ms", 16, Layouts.SKEW_OFFSET);
        eq("skew.measured_ms", 24, Layouts.SKEW_MEASURED);
        size(Layouts.REFRESH_DECISION, 48);
        eq("decision.refresh_at_ms", 8, Layouts.DEC_REFRESH_AT);
        eq("decision.expires_at_ms", 16, Layouts.DEC_EXPIRES_AT);
        eq("decision.has_expiry", 24, Layouts.DEC_HAS_EXPIRY);
        eq("decision.retry_at_ms", 32, Layouts.DEC_RETRY_AT);
        eq("decision.usable", 40, Layouts.DEC_USABLE);
        eq("decision.must_wait", 41, Layouts.DEC_MUST_WAIT);
        size(Layouts.FAILURE, 16);
        eq("failure.has_retry_after", 4, Layouts.FAIL_HAS_RETRY_AFTER);
        eq("failure.retry_after_ms", 8, Layouts.FAIL_RETRY_AFTER);
        size(Layouts.ACCESS, 88);
        eq("access.decision", 8, Layouts.ACC_DECISION);
        eq("access.until_ms", 56, Layouts.ACC_UNTIL);
        eq("access.generation", 64, Layouts.ACC_GENERATION);
        eq("access.failure", 72, Layouts.ACC_FAILURE);
        size(Layouts.COMPLETION, 16);
        eq("completion.at_ms", 8, Layouts.COMP_AT);
        size(Layouts.PAYLOAD, 24);
        size(Layouts.REQUEST, 72);
        eq("request.method_len", 8, Layouts.REQ_METHOD_LEN);
        eq("request.uri", 16, Layouts.REQ_URI);
        eq("request.uri_len", 24, Layouts.REQ_URI_LEN);
        eq("request.headers", 32, Layouts.REQ_HEADERS);
        eq("request.headers_len", 40, Layouts.REQ_HEADERS_LEN);
        eq("request.payload", 48, Layouts.REQ_PAYLOAD_KIND);
        eq("request.payload.data", 56, Layouts.REQ_PAYLOAD_DATA);
        eq("request.payload.data_len", 64, Layouts.REQ_PAYLOAD_LEN);
        size(Layouts.HTTP_REQUEST, 96);
        size(Layouts.STEP, 152);
        eq("step.request", 8, Layouts.STEP_REQ_METHOD);
        eq("step.request.url", 8 + 16, Layouts.STEP_REQ_URL);
        eq("step.request.headers", 8 + 32, Layouts.STEP_REQ_HEADERS);
        eq("step.request.headers_len", 8 + 40, Layouts.STEP_REQ_HEADERS_LEN);
        eq("step.request.body", 8 + 48, Layouts.STEP_REQ_BODY);
        eq("step.request.timeout_ms", 8 + 64, Layouts.STEP_REQ_TIMEOUT);
        eq("step.request.use_proxy", 8 + 72, Layouts.STEP_REQ_USE_PROXY);
        eq("step.request.connect_to", 8 + 80, Layouts.STEP_REQ_CONNECT_TO);
        eq("step.request.connect_to_len", 8 + 88, Layouts.STEP_REQ_CONNECT_TO_LEN);
        eq("step.text", 104, Layouts.STEP_TEXT);
        eq("step.wait_until_ms", 120, Layouts.STEP_WAIT_UNTIL);
        eq("step.error", 128, Layouts.STEP_ERROR);
        eq("step.failure", 136, Layouts.STEP_FAILURE);
    }

    private static void linked() throws Throwable {
        // Touching C links every handle; a missing symbol throws UnsatisfiedLinkError here.
        String version = Scratch.cString((long) C.sigfresh_version.invokeExact());
        System.out.println("library " + PanamaLibrary.describe() + " version " + version);
        if (!"SIGFRESH_INVALID_UTF8".equals(Errors.name(2))) {
            failures++;
            System.out.println("result name of 2 is " + Errors.name(2));
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void vanilla() throws Throwable {
        Path suite = Paths.get(System.getProperty("sigfresh.suite", "tests/vectors/sigv4-suite"));
        String expected = Files.readString(suite.resolve("get-vanilla/get-vanilla.authz"));
        Scratch s = Scratch.acquire();
        try {
            byte[] ak = utf8("AKIDEXAMPLE");
            byte[] sk = utf8("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
            long akOff = s.putBytes(ak);
            long skOff = s.putBytes(sk);
            Errors.check((int) C.sigfresh_credentials_new.invokeExact(
                s.addr(akOff), (long) ak.length, s.addr(skOff), (long) sk.length,
                0L, 0L, 0L, 0L, 0L, 0, s.addr(Scratch.OUT0)));
            long creds = s.getLong(Scratch.OUT0);

            Errors.check((int) C.sigfresh_signing_settings_new.invokeExact(s.addr(Scratch.OUT0)));
            long settings = s.getLong(Scratch.OUT0);
            byte[] region = utf8("us-east-1");
            byte[] service = utf8("service");
            long rOff = s.putBytes(region);
            long svOff = s.putBytes(service);
            Errors.check((int) C.sigfresh_signer_new.invokeExact(settings, s.addr(rOff), (long) region.length,
                s.addr(svOff), (long) service.length, s.addr(Scratch.OUT0)));
            long signer = s.getLong(Scratch.OUT0);
            Errors.check((int) C.sigfresh_signing_settings_free.invokeExact(settings));

            byte[] method = utf8("GET");
            byte[] uri = utf8("/");
            String[][] headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
            long mOff = s.putBytes(method);
            long uOff = s.putBytes(uri);
            long[] hOff = new long[4];
            long[] hLen = new long[4];
            for (int i = 0; i < 2; i++) {
                byte[] n = utf8(headers[i][0]);
                byte[] v = utf8(headers[i][1]);
                hOff[2 * i] = s.putBytes(n);
                hLen[2 * i] = n.length;
                hOff[2 * i + 1] = s.putBytes(v);
                hLen[2 * i + 1] = v.length;
            }
            long pairs = s.alloc(2 * Layouts.PAIR_SIZE);
            for (int i = 0; i < 2; i++) {
                long p = pairs + i * Layouts.PAIR_SIZE;
                s.putLong(p + Layouts.PAIR_NAME, s.addr(hOff[2 * i]));
                s.putLong(p + Layouts.PAIR_NAME_LEN, hLen[2 * i]);
                s.putLong(p + Layouts.PAIR_VALUE, s.addr(hOff[2 * i + 1]));
                s.putLong(p + Layouts.PAIR_VALUE_LEN, hLen[2 * i + 1]);
            }
            long req = s.alloc(Layouts.REQ_SIZE);
            s.putLong(req + Layouts.REQ_METHOD, s.addr(mOff));
            s.putLong(req + Layouts.REQ_METHOD_LEN, method.length);
            s.putLong(req + Layouts.REQ_URI, s.addr(uOff));
            s.putLong(req + Layouts.REQ_URI_LEN, uri.length);
            s.putLong(req + Layouts.REQ_HEADERS, s.addr(pairs));
            s.putLong(req + Layouts.REQ_HEADERS_LEN, 2);
            s.putInt(req + Layouts.REQ_PAYLOAD_KIND, 0);
            s.putLong(req + Layouts.REQ_PAYLOAD_DATA, 0);
            s.putLong(req + Layouts.REQ_PAYLOAD_LEN, 0);
            long buf = s.alloc(1024);
            long out = s.alloc(4 * Layouts.PAIR_SIZE);
            long time = 1440938160000L; // 2015-08-30T12:36:00Z
            Errors.check((int) C.sigfresh_signer_sign.invokeExact(signer, s.addr(req), creds, time,
                s.addr(buf), 1024L, s.addr(out), 4L, s.addr(Scratch.OUT0), s.addr(Scratch.OUT1)));
            long count = s.getLong(Scratch.OUT0);
            String authz = null;
            for (int i = 0; i < count; i++) {
                long p = out + i * Layouts.PAIR_SIZE;
                String name = Scratch.stringAt(s.getLong(p + Layouts.PAIR_NAME), s.getLong(p + Layouts.PAIR_NAME_LEN));
                String value = Scratch.stringAt(s.getLong(p + Layouts.PAIR_VALUE), s.getLong(p + Layouts.PAIR_VALUE_LEN));
                System.out.println("  " + name + ": " + value);
                if (name.equals("authorization")) {
                    authz = value;
                }
            }
            if (!expected.equals(authz)) {
                failures++;
                System.out.println("get-vanilla authorization differs from the suite's .authz");
            }
            // An error path: a freed handle reports HANDLE_FREED with the detail.
            Errors.check((int) C.sigfresh_signer_free.invokeExact(signer));
            int rc = (int) C.sigfresh_signer_free.invokeExact(signer);
            eq("double free result", 5, rc);
            System.out.println("  double free: " + Errors.error(rc).getMessage());
            Errors.check((int) C.sigfresh_credentials_free.invokeExact(creds));
        } finally {
            s.release();
        }
    }
}
