package dev.sigfresh.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * The conformance corpus ({@code tests/vectors/}, format in its README.md) through the Java
 * binding that {@code -Dsigfresh.binding} selects (the failsafe executions run it through JNI on
 * JDK 25 and 17 and through Panama on JDK 25). Reads the same files as the Rust, C, CLI and Node
 * runners and checks the same expectations, for every kind, through {@code NativeApi} (the seam
 * both bindings implement): the official suite (sigv4-suite.json), our signing cases, credential
 * documents (each format, environment maps, profiles), error classification, refresh scenarios
 * (the cache/lease API) and IMDS/container exchanges (the source machines).
 *
 * <p>Prints {@code conformance (java/<binding>, JDK n): <kind>: N passed, M not applicable for this
 * host} per kind (also written to {@code target/conformance-<binding>-jdk<n>.txt}). A case the
 * binding could not express would be counted and listed with its reason (and reported as
 * aborted, not passed); today there is none. An expectation field this runner does not know
 * fails the case.
 */
class ConformanceTest {
    static final String[] KINDS = {"sigv4-suite", "signing", "documents", "errors", "refresh", "exchanges"};

    /** Per kind: passed, failed, and the not-applicable cases with their reasons. */
    static final class Tally {
        int passed;
        int failed;
        final List<String> notApplicable = new ArrayList<>();
    }

    static final Map<String, Tally> TALLIES = new LinkedHashMap<>();

    static {
        for (String k : KINDS) {
            TALLIES.put(k, new Tally());
        }
    }

    interface Runner {
        void run(NativeApi api, Map<String, Object> c);
    }

    static NativeApi api() {
        return Bindings.api();
    }

    /** The *.json files of a kind directory, sorted, without the extension. */
    static List<String> listKind(String kind) {
        try (Stream<Path> s = Files.list(Support.vectors().resolve(kind))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> load(String kind, String name) {
        return Support.loadJson(Support.vectors().resolve(kind).resolve(name + ".json"));
    }

    /** Every {@code <case>/<name>.req} under sigv4-suite/, as "case" relative paths. */
    static List<String> suiteOnDisk() {
        Path dir = Support.vectors().resolve("sigv4-suite");
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".req"))
                    .map(p -> dir.relativize(p.getParent()).toString().replace('\\', '/')).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> manifest() {
        return Support.loadJson(Support.vectors().resolve("sigv4-suite.json"));
    }

    /** Runs one case and counts it; a mismatch fails the dynamic test with the case's message. */
    static void record(String kind, String name, Runnable body) {
        Tally t = TALLIES.get(kind);
        try {
            body.run();
        } catch (Support.NotApplicable e) {
            synchronized (t) {
                t.notApplicable.add(name + ": " + e.getMessage());
            }
            throw new TestAbortedException("not applicable for this host: " + e.getMessage());
        } catch (RuntimeException | AssertionError e) {
            synchronized (t) {
                t.failed++;
            }
            throw new AssertionError(kind + "/" + name + ": " + e.getMessage(), e);
        }
        synchronized (t) {
            t.passed++;
        }
    }

    static DynamicContainer kind(String kind, Runner runner) {
        List<String> names = listKind(kind);
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("(listing)", () -> assertTrue(!names.isEmpty(), kind + ": no cases")));
        for (String n : names) {
            tests.add(DynamicTest.dynamicTest(n, () -> record(kind, n, () -> runner.run(api(), load(kind, n)))));
        }
        return DynamicContainer.dynamicContainer(kind, tests);
    }

    static DynamicContainer suite() {
        Map<String, Object> manifest = manifest();
        Map<String, Object> listed = Support.obj(manifest, "cases");
        List<String> found = suiteOnDisk();
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("(listing)",
                () -> assertEquals(new TreeSet<>(listed.keySet()), new TreeSet<>(found),
                        "the suite cases on disk are the ones sigv4-suite.json lists")));
        for (String rel : found) {
            tests.add(DynamicTest.dynamicTest(rel, () -> record("sigv4-suite", rel, () -> {
                if (!listed.containsKey(rel)) {
                    throw Support.fail("not listed in tests/vectors/sigv4-suite.json");
                }
                SigningCases.suiteCase(api(), manifest, rel);
            })));
        }
        return DynamicContainer.dynamicContainer("sigv4-suite", tests);
    }

    @TestFactory
    Stream<DynamicNode> corpus() {
        return Stream.of(
                suite(),
                kind("signing", SigningCases::signing),
                kind("documents", StateCases::document),
                kind("errors", StateCases::error),
                kind("refresh", RefreshCases::refresh),
                kind("exchanges", RefreshCases::exchange));
    }

    @AfterAll
    static void report() throws IOException {
        String binding = api().bindingName();
        int jdk = Runtime.version().feature();
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Tally> e : TALLIES.entrySet()) {
            Tally t = e.getValue();
            b.append(String.format("conformance (java/%s, JDK %d): %s: %d passed, %d not applicable for this host%s%n",
                    binding, jdk, e.getKey(), t.passed, t.notApplicable.size(), t.failed > 0 ? " — " + t.failed
                            + " FAILED" : ""));
            for (String na : t.notApplicable) {
                b.append("  not applicable: ").append(na).append(System.lineSeparator());
            }
        }
        System.out.print(b);
        Path out = Paths.get("target", "conformance-" + binding + "-jdk" + jdk + ".txt");
        if (Files.isDirectory(out.getParent())) {
            Files.write(out, b.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ the runner itself

    /** The first case of a kind whose file passes {@code filter}, parsed. */
    static Map<String, Object> first(String kind, java.util.function.Predicate<String> filter) {
        for (String n : listKind(kind)) {
            if (filter.test(Support.readText(Support.vectors().resolve(kind).resolve(n + ".json")))) {
                return load(kind, n);
            }
        }
        throw new AssertionError(kind + ": no case to mutate");
    }

    static void mustFail(Runner runner, Map<String, Object> c, Consumer<Map<String, Object>> mutate) {
        runner.run(api(), c); // passes as written
        mutate.accept(c);
        assertThrows(Support.Mismatch.class, () -> runner.run(api(), c));
    }

    /** {@code s} with its last character changed. */
    static String flip(String s) {
        char last = s.charAt(s.length() - 1);
        return s.substring(0, s.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Object m, Object... path) {
        Object v = m;
        for (Object p : path) {
            v = p instanceof Integer ? ((List<Object>) v).get((Integer) p) : ((Map<String, Object>) v).get(p);
        }
        return (Map<String, Object>) v;
    }

    @Test
    void aWrongExpectationFailsInEveryKind() {
        Map<String, Object> m = manifest();
        String rel = "get-vanilla"; // has .sts and .authz
        SigningCases.suiteCase(api(), m, rel);
        at(m, "defaults").put("secret_access_key", "not-the-suite-secret");
        assertThrows(Support.Mismatch.class, () -> SigningCases.suiteCase(api(), m, rel));

        mustFail(SigningCases::signing, first("signing", t -> t.contains("\"signature\"")),
                c -> at(c, "expect").put("signature", flip((String) at(c, "expect").get("signature"))));
        mustFail(StateCases::document, first("documents", t -> t.contains("\"access_key_id\"")),
                c -> at(c, "expect").put("access_key_id", "AKIDWRONG"));
        mustFail(StateCases::document, first("documents", t -> t.contains("\"mentions\"")),
                c -> at(c, "expect").put("mentions", "a field no parser names"));
        mustFail(StateCases::error, first("errors", t -> t.contains("\"fatal\"")),
                c -> at(c, "expect").put("action", "throttled"));
        mustFail(RefreshCases::refresh, first("refresh", t -> true),
                c -> at(c, "steps", 0, "expect").put("completion", "superseded"));
        mustFail(RefreshCases::exchange, first("exchanges", t -> t.contains("\"url\"")),
                c -> at(c, "steps", 1, "expect", "send").put("url", "http://169.254.169.254/wrong"));
    }

    @Test
    void anUnknownExpectationFailsInEveryKind() {
        mustFail(SigningCases::signing, first("signing", t -> t.contains("\"signature\"")),
                c -> at(c, "expect").put("signature_v5", "x"));
        mustFail(StateCases::document, first("documents", t -> t.contains("\"access_key_id\"")),
                c -> at(c, "expect").put("role_arn", "x"));
        mustFail(StateCases::document, first("documents", t -> t.contains("\"error\"")),
                c -> at(c, "expect").put("mentions_line", "x"));
        mustFail(StateCases::error, first("errors", t -> true), c -> at(c, "expect").put("retry_after_ms", 0L));
        mustFail(RefreshCases::refresh, first("refresh", t -> true),
                c -> at(c, "steps", 0, "expect").put("generation", 1L));
        mustFail(RefreshCases::exchange, first("exchanges", t -> t.contains("\"url\"")),
                c -> at(c, "steps", 1, "expect", "send").put("timeout_ms", 1000L));
    }
}
