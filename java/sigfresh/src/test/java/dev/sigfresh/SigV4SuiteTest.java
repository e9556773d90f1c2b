package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official SigV4 suite (tests/vectors/sigv4-suite) through the binding selected by
 * -Dsigfresh.binding, with the same inputs and per-case exceptions as core/tests/sigv4_suite.rs
 * and tests/c/suite.c: every stage compared byte for byte with the suite's files.
 */
class SigV4SuiteTest {
    static final String AKID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String STS_TOKEN =
            "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpS"
            + "PfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQD"
            + "YwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s"
            + "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    static Path suite() {
        return Paths.get(System.getProperty("sigfresh.repo.root", "../.."), "tests", "vectors", "sigv4-suite");
    }

    /** dir, token, tokenAfter, fixWrong, fixRight, skipStsAuthz, time, bodyAsQuery. */
    static Stream<Arguments> cases() {
        return Stream.of(
                c("get-header-key-duplicate"),
                Arguments.of("get-header-value-multiline", false, false, "my-header1:value1,value2,value3",
                        "my-header1:value1 value2 value3", true, null, false),
                c("get-header-value-order"), c("get-header-value-trim"), c("get-unreserved"), c("get-utf8"),
                c("get-vanilla"), c("get-vanilla-empty-query-key"), c("get-vanilla-query"),
                c("get-vanilla-query-order-key"), c("get-vanilla-query-order-key-case"),
                c("get-vanilla-query-order-value"), c("get-vanilla-query-unreserved"), c("get-vanilla-utf8-query"),
                c("normalize-path/get-relative"), c("normalize-path/get-relative-relative"),
                c("normalize-path/get-slash"), c("normalize-path/get-slash-dot-slash"),
                c("normalize-path/get-slash-pointless-dot"), c("normalize-path/get-slashes"),
                c("normalize-path/get-space"), c("post-header-key-case"), c("post-header-key-sort"),
                c("post-header-value-case"),
                Arguments.of("post-sts-token/post-sts-header-after", true, true, null, null, false, null, false),
                Arguments.of("post-sts-token/post-sts-header-before", true, false, null, null, false, null, false),
                c("post-vanilla"), c("post-vanilla-empty-query-value"), c("post-vanilla-query"),
                Arguments.of("post-x-www-form-urlencoded", false, false, "\nhost;x-amz-date\n",
                        "\ncontent-type;host;x-amz-date\n", false, null, false),
                Arguments.of("post-x-www-form-urlencoded-parameters", false, false, null, null, false, null, true),
                c("double-url-encode"),
                Arguments.of("double-encode-path", false, false, null, null, false, "20210511T154045Z", false));
    }

    static Arguments c(String dir) {
        return Arguments.of(dir, false, false, null, null, false, null, false);
    }

    static String read(String dir, String ext) throws IOException {
        String base = dir.substring(dir.lastIndexOf('/') + 1);
        Path p = suite().resolve(dir).resolve(base + "." + ext);
        return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : null;
    }

    @Test
    void everyCaseInTheSuiteIsCovered() throws IOException {
        List<String> found;
        try (Stream<Path> s = Files.walk(suite())) {
            found = s.filter(p -> p.toString().endsWith(".req"))
                    .map(p -> suite().relativize(p.getParent()).toString().replace('\\', '/'))
                    .sorted().collect(Collectors.toList());
        }
        List<String> listed = cases().map(a -> (String) a.get()[0]).sorted().collect(Collectors.toList());
        assertEquals(listed, found);
        assertEquals(33, found.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyStageMatches(String dir, boolean token, boolean tokenAfter, String fixWrong, String fixRight,
            boolean skipStsAuthz, String fixedTime, boolean bodyAsQuery) throws IOException {
        NativeApi api = Bindings.api();
        String creq = read(dir, "creq");
        assertNotNull(creq, dir + ": .creq");
        if (fixWrong != null) {
            assertTrue(creq.contains(fixWrong), dir + ": the known error is still in the .creq");
            creq = creq.replace(fixWrong, fixRight);
        }
        String sts = read(dir, "sts");
        String authz = read(dir, "authz");
        String region = "us-east-1";
        String service = "service";
        Instant time;
        if (sts != null) {
            String[] lines = sts.split("\n");
            time = Instant.ofEpochMilli(api.timeParse(NativeApi.TIME_AMZ_DATE, lines[1]));
            String[] scope = lines[2].split("/");
            region = scope[1];
            service = scope[2];
        } else {
            time = Instant.ofEpochMilli(api.timeParse(NativeApi.TIME_AMZ_DATE, fixedTime));
        }
        Path reqPath = suite().resolve(dir).resolve(dir.substring(dir.lastIndexOf('/') + 1) + ".req");
        Object[] raw = api.rawRequestParse(Files.readAllBytes(reqPath));
        String[] line = (String[]) raw[0];
        String[] headers = (String[]) raw[1];
        String uri = line[1];
        if (bodyAsQuery) {
            uri = uri + "?" + new String((byte[]) raw[2], StandardCharsets.UTF_8);
        }
        SigningRequest.Builder rb = SigningRequest.builder(line[0], uri).body(new byte[0]);
        for (int i = 0; i < headers.length; i += 2) {
            rb.header(headers[i], headers[i + 1]);
        }
        SigningRequest request = rb.build();
        Signer.Builder sb = Signer.builder(region, service);
        if (tokenAfter) {
            sb.sessionTokenMode(Signer.SessionTokenMode.APPEND_AFTER_SIGNING);
        }
        try (Signer signer = sb.build();
                Credentials creds = Credentials.of(AKID, SECRET, token ? STS_TOKEN : null, null)) {
            SigningResult r = signer.signWithStages(request, creds, time);
            assertEquals(creq, r.canonicalRequest(), dir + ": stage 1, canonical request");
            if (!skipStsAuthz) {
                if (sts != null) {
                    assertEquals(sts.replaceAll("\n+$", ""), r.stringToSign(), dir + ": stage 2, string to sign");
                }
                if (authz != null) {
                    assertEquals(authz, r.authorization().orElse(null), dir + ": stage 3, Authorization");
                }
            }
            // The one-call path gives the same headers.
            List<Header> added = signer.sign(request, creds, time);
            assertEquals(r.headers(), added, dir + ": sign() and signWithStages() agree");
            Header last = added.get(added.size() - 1);
            assertEquals("authorization", last.name());
            assertEquals(r.authorization().orElse(null), last.value());
            if (token) {
                assertEquals(new Header("x-amz-security-token", STS_TOKEN), added.get(1));
            }
        }
    }

    @Test
    void theMultilineCaseSentAsRepeatedHeadersMatchesEveryStage() throws IOException {
        String dir = "get-header-value-multiline";
        SigningRequest request = SigningRequest.builder("GET", "/")
                .header("Host", "example.amazonaws.com")
                .header("My-Header1", "value1").header("My-Header1", "value2").header("My-Header1", "value3")
                .header("X-Amz-Date", "20150830T123600Z").build();
        Instant time = Instant.ofEpochMilli(Bindings.api().timeParse(NativeApi.TIME_AMZ_DATE, "20150830T123600Z"));
        try (Signer signer = Signer.builder("us-east-1", "service").build();
                Credentials creds = Credentials.of(AKID, SECRET)) {
            SigningResult r = signer.signWithStages(request, creds, time);
            assertEquals(read(dir, "creq"), r.canonicalRequest());
            assertEquals(read(dir, "sts").replaceAll("\n+$", ""), r.stringToSign());
            assertEquals(read(dir, "authz"), r.authorization().get());
        }
    }

    @Test
    void theSelectedBindingIsTheOneAskedFor() {
        String wanted = System.getProperty("sigfresh.binding");
        if (wanted != null && !wanted.equals("auto")) {
            assertEquals(wanted, Bindings.api().bindingName());
        }
    }
}
