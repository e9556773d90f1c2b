package dev.sigfresh.conformance;

import dev.sigfresh.MiniJson;
import dev.sigfresh.SigfreshException;
import dev.sigfresh.internal.NativeApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What every conformance runner file shares: the corpus files, JSON access, names, failures. */
final class Support {
    private Support() {}

    /** A case that does not match its expectation; the message says where. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    /** A case this host cannot express; the message is the reason (listed in the report). */
    static final class NotApplicable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotApplicable(String reason) {
            super(reason);
        }
    }

    static Mismatch fail(String message) {
        return new Mismatch(message);
    }

    // ------------------------------------------------------------------ files

    /** The repository root: the {@code sigfresh.repo.root} property set by the pom, else ../.. */
    static Path root() {
        return Paths.get(System.getProperty("sigfresh.repo.root", "../.."));
    }

    static Path vectors() {
        return root().resolve("tests").resolve("vectors");
    }

    /** A file of the repository (paths in the corpus are relative to its root). */
    static byte[] readBytes(String relative) {
        return readBytes(root().resolve(relative));
    }

    static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readText(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> loadJson(Path p) {
        return (Map<String, Object>) MiniJson.parse(readText(p));
    }

    // ------------------------------------------------------------------ JSON access

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v == MiniJson.NULL) {
            return Collections.emptyMap();
        }
        if (!(v instanceof Map)) {
            throw fail("`" + key + "` is not an object");
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v == MiniJson.NULL) {
            return Collections.emptyList();
        }
        if (!(v instanceof List)) {
            throw fail("`" + key + "` is not an array");
        }
        return (List<Object>) v;
    }

    /** A string member, or null when absent or JSON null. */
    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v == MiniJson.NULL) {
            return null;
        }
        if (!(v instanceof String)) {
            throw fail("`" + key + "` is not a string");
        }
        return (String) v;
    }

    static String need(Map<String, Object> m, String key) {
        String v = str(m, key);
        if (v == null) {
            throw fail("`" + key + "` is missing");
        }
        return v;
    }

    static long num(Object v, String what) {
        if (!(v instanceof Long)) {
            throw fail(what + ": not an integer: " + v);
        }
        return (Long) v;
    }

    /** {@code [[name, value], ...]} as flat pairs. */
    static String[] pairs(List<Object> l) {
        String[] out = new String[l.size() * 2];
        for (int i = 0; i < l.size(); i++) {
            List<?> p = (List<?>) l.get(i);
            out[2 * i] = (String) p.get(0);
            out[2 * i + 1] = (String) p.get(1);
        }
        return out;
    }

    /** {@code {"NAME": "value", ...}} as flat pairs, in file order. */
    static String[] objectPairs(Map<String, Object> m) {
        String[] out = new String[m.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out[i++] = e.getKey();
            out[i++] = (String) e.getValue();
        }
        return out;
    }

    /** Fails on a member of {@code m} that is not in {@code known} (the corpus grew a field). */
    static void onlyKnown(Map<String, Object> m, String where, String... known) {
        Set<String> k = new HashSet<>(Arrays.asList(known));
        for (String key : m.keySet()) {
            if (!k.contains(key)) {
                throw fail("unknown " + where + " `" + key + "`");
            }
        }
    }

    // ------------------------------------------------------------------ values

    /** An RFC 3339 or AMZ date, parsed by the library. */
    static long time(NativeApi api, String text) {
        if (text == null) {
            throw fail("a time is missing");
        }
        try {
            return api.timeParse(NativeApi.TIME_RFC3339, text);
        } catch (SigfreshException e) {
            try {
                return api.timeParse(NativeApi.TIME_AMZ_DATE, text);
            } catch (SigfreshException e2) {
                throw fail("bad time \"" + text + "\"");
            }
        }
    }

    /** A result name as the corpus writes it: without {@code SIGFRESH_} (and {@code strip}), lowercase. */
    static String kindName(String codeName, String strip) {
        String n = codeName.startsWith("SIGFRESH_") ? codeName.substring(9) : codeName;
        if (strip != null && n.startsWith(strip)) {
            n = n.substring(strip.length());
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** {@code table[i]}, or "other" (the C ABI's OTHER values are 99). */
    static String name(String[] table, long i) {
        return i >= 0 && i < table.length ? table[(int) i] : "other";
    }

    static int indexOf(String[] table, String name, String what) {
        int i = Arrays.asList(table).indexOf(name);
        if (i < 0) {
            throw fail("unknown " + what + " " + name);
        }
        return i;
    }

    static void eq(String what, Object got, Object want) {
        if (!Objects.equals(got, want)) {
            throw fail(what + ": got " + show(got) + ", want " + show(want));
        }
    }

    static String show(Object v) {
        return v instanceof String ? "\"" + v + "\"" : v == null ? "none" : String.valueOf(v);
    }

    static final String[] SOURCES = {
        "static", "environment", "profile", "instance_metadata", "container_endpoint", "process", "sso", "sts"
    };

    /**
     * Compares credentials with an {@code expect} object ({@code access_key_id},
     * {@code secret_access_key}, {@code session_token} (exact text or presence), {@code expiry_ms},
     * {@code account_id}, {@code source}); {@code error}/{@code mentions*}/{@code none} are the
     * caller's.
     */
    static void checkCredentials(NativeApi api, long creds, Map<String, Object> want) {
        String[] text = api.credentialsText(creds);
        long[] info = api.credentialsInfo(creds);
        for (Map.Entry<String, Object> e : want.entrySet()) {
            String k = e.getKey();
            Object w = e.getValue() == MiniJson.NULL ? null : e.getValue();
            switch (k) {
                case "access_key_id":
                    eq(k, text[0], w);
                    break;
                case "secret_access_key":
                    eq(k, api.credentialsExpose(creds)[0], w);
                    break;
                case "session_token":
                    if (w instanceof Boolean) {
                        eq("session token present", info[0] == 1, w);
                    } else {
                        eq(k, api.credentialsExpose(creds)[1], w);
                    }
                    break;
                case "expiry_ms":
                    eq(k, info[1] == NativeApi.ABSENT_TIME ? null : (Object) info[1], w);
                    break;
                case "account_id":
                    eq(k, text[1], w);
                    break;
                case "source":
                    eq(k, name(SOURCES, info[2]), w);
                    break;
                case "error":
                case "mentions":
                case "mentions_code":
                case "none":
                    break;
                default:
                    throw fail("unknown expectation " + k);
            }
        }
    }
}
