package dev.sigfresh.internal.panama;

import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A main-method smoke test of the low-level layer, runnable with plain javac/java:
 * struct sizes and offsets against the values gcc computes from include/sigfresh.h (written
 * down from {@code offsetof}/{@code sizeof} on linux-x86_64), every handle linked, and one
 * the official-suite cases that need only a plain signer, parsed and signed through
 * {@link PanamaNative}.
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
        suite();
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

    /**
     * Every AWS-original suite case with an .authz (but the session-token ones), parsed with
     * rawRequestParse and signed through PanamaNative.sign, against the suite's .authz.
     */
    private static void suite() throws Exception {
        Path suite = Paths.get(System.getProperty("sigfresh.suite", "tests/vectors/sigv4-suite"));
        PanamaNative api = new PanamaNative();
        long creds = api.credentialsNew("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null,
            Long.MIN_VALUE, null, 0);
        long signer = api.signerNew("us-east-1", "service", new long[] {0, -1, -1, -1, -1, -1, -1, -1}, null);
        int checked = 0;
        try (var paths = Files.walk(suite)) {
            for (Path authz : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".authz"))::iterator) {
                String name = authz.getFileName().toString().replace(".authz", "");
                // Cases needing more than a plain signing (token, other scope) or a suite quirk
                // core/tests/sigv4_suite.rs documents (obs-fold, body signed as a query).
                if (name.startsWith("post-sts") || name.equals("double-url-encode")
                        || name.equals("get-header-value-multiline")
                        || name.equals("post-x-www-form-urlencoded-parameters")) {
                    continue;
                }
                Object[] req = api.rawRequestParse(Files.readAllBytes(authz.resolveSibling(name + ".req")));
                String[] line = (String[]) req[0];
                String[] headers = (String[]) req[1];
                String[] added = api.sign(signer, line[0], line[1], headers, 0, new byte[0], creds,
                    1440938160000L);
                String got = null;
                for (int i = 0; i < added.length; i += 2) {
                    if (added[i].equals("authorization")) {
                        got = added[i + 1];
                    }
                }
                String expected = Files.readString(authz);
                checked++;
                if (!expected.equals(got)) {
                    failures++;
                    System.out.println("suite " + name + ": expected " + expected + "\n  got " + got);
                }
            }
        } finally {
            api.signerFree(signer);
            api.credentialsFree(creds);
        }
        System.out.println("suite: " + checked + " cases signed through PanamaNative");
    }
}
