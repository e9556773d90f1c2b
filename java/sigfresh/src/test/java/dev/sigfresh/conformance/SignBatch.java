package dev.sigfresh.conformance;

import dev.sigfresh.MiniJson;
import dev.sigfresh.SigfreshException;
import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The generator check's Java host ({@code tests/vectors/generated.sh}): signs every request of a
 * {@code requests.jsonl} (written by {@code cargo run -p sigfresh-peers --example
 * generated_requests}) through the binding {@code -Dsigfresh.binding} selects, and writes one
 * JSON line per request: id, signature, canonical_request, string_to_sign, authorization (null
 * when presigned), or id and error (the corpus's error kind). The same fields as the C and Node
 * batch signers; {@code tests/vectors/tools/generated.py} compares them with the Rust core's.
 *
 * <pre>
 * java -Dsigfresh.binding=jni|panama -cp JAR:TEST_CLASSES dev.sigfresh.conformance.SignBatch IN OUT
 * </pre>
 */
public final class SignBatch {
    private SignBatch() {}

    /**
     * Signs the requests.
     *
     * @param args the requests file and the output file
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SignBatch REQUESTS.jsonl OUT.jsonl");
            System.exit(2);
        }
        NativeApi api = Bindings.api();
        List<String> lines = Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8);
        int n = 0;
        try (Writer out = Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8)) {
            for (String line : lines) {
                if (line.trim().isEmpty()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) MiniJson.parse(line);
                out.write(signOne(api, r));
                out.write('\n');
                n++;
            }
        }
        System.err.println("sign-batch (java/" + api.bindingName() + ", JDK " + System.getProperty("java.version")
                + "): " + n + " requests signed");
    }

    private static String signOne(NativeApi api, Map<String, Object> r) {
        long id = Support.num(r.get("id"), "id");
        @SuppressWarnings("unchecked")
        Map<String, Object> settingsJson = (Map<String, Object>) r.get("settings");
        long[] s = SigningCases.defaultSettings();
        String[] names = SigningCases.settings(settingsJson, s);
        int payloadKind;
        byte[] payload;
        Object pl = r.get("payload");
        if (pl instanceof Map) {
            payloadKind = 1;
            payload = ((String) ((Map<?, ?>) pl).get("precomputed")).getBytes(StandardCharsets.US_ASCII);
        } else {
            payloadKind = Support.indexOf(SigningCases.PAYLOADS, (String) pl, "payload");
            payload = hex((String) r.get("body_hex"));
        }
        @SuppressWarnings("unchecked")
        String[] headers = Support.pairs((List<Object>) r.get("headers"));
        Object token = r.get("session_token");
        long creds = api.credentialsNew((String) r.get("access_key_id"), (String) r.get("secret_access_key"),
                token == MiniJson.NULL ? null : (String) token, NativeApi.ABSENT_TIME, null, 0);
        long signer = 0;
        try {
            signer = api.signerNew((String) r.get("region"), (String) r.get("service"), s, names);
            long at = Support.num(r.get("time"), "time") * 1000L;
            String[][] out = api.signOutput(signer, (String) r.get("method"), (String) r.get("uri"), headers,
                    payloadKind, payload, creds, at);
            boolean presigned = settingsJson.containsKey("presign_expires");
            return "{\"id\":" + id + ",\"signature\":" + json(out[0][2]) + ",\"canonical_request\":" + json(out[0][0])
                    + ",\"string_to_sign\":" + json(out[0][1]) + ",\"authorization\":"
                    + (presigned ? "null" : json(out[0][3])) + "}";
        } catch (SigfreshException e) {
            return "{\"id\":" + id + ",\"error\":" + json(Support.kindName(e.codeName(), null)) + "}";
        } finally {
            api.signerFree(signer);
            api.credentialsFree(creds);
        }
    }

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** A JSON string literal. */
    private static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
