package dev.sigfresh.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigfresh.internal.JniNative;
import dev.sigfresh.internal.NativeApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The per-thread scratch areas and the verifier's per-thread lookup state under contention:
 * platform threads and virtual threads sign and verify at once through one signer, one verifier
 * and shared credentials; every signature must equal the one the JNI binding computes for the
 * same request on one thread, and must verify.
 */
class PanamaConcurrencyTest {
    private static final long T = 1440938160000L;

    private final NativeApi panama = new PanamaNative();
    private final NativeApi jni = new JniNative();

    private static String[] request(int i) {
        return new String[] {"GET", "https://example.amazonaws.com/items/" + i + "?page=" + (i % 7),
            "host", "example.amazonaws.com", "x-amz-meta-n", "v" + i + "-" + "x".repeat(i % 300)};
    }

    private void run(ExecutorService pool, int tasks, int perTask) throws Exception {
        long creds = panama.credentialsNew("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token",
            NativeApi.ABSENT_TIME, null, 3);
        long signer = panama.signerNew("us-east-1", "service", new long[] {0, -1, -1, -1, -1, -1, -1, -1}, null);
        long verifier = panama.verifierNew(new long[] {0, -1, -1, -1, -1});
        try {
            int n = tasks * perTask;
            String[][] expected = new String[n][];
            for (int i = 0; i < n; i++) {
                String[] r = request(i);
                expected[i] = jni.sign(signer, r[0], r[1], new String[] {r[2], r[3], r[4], r[5]}, 0, null, creds, T + 1000L * i);
            }
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int first = t * perTask;
                Callable<Integer> task = () -> {
                    int ok = 0;
                    for (int i = first; i < first + perTask; i++) {
                        String[] r = request(i);
                        String[] headers = {r[2], r[3], r[4], r[5]};
                        String[] added = panama.sign(signer, r[0], r[1], headers, 0, null, creds, T + 1000L * i);
                        assertEquals(String.join("|", expected[i]), String.join("|", added), "request " + i);
                        String[] all = new String[headers.length + added.length];
                        System.arraycopy(headers, 0, all, 0, headers.length);
                        System.arraycopy(added, 0, all, headers.length, added.length);
                        String[] v = panama.verify(verifier, r[0], r[1], all, 0, null, new long[] {creds}, T + 1000L * i);
                        assertEquals(Long.toString(T + 1000L * i), v[3]);
                        ok++;
                    }
                    return ok;
                };
                done.add(pool.submit(task));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertEquals(n, total);
        } finally {
            pool.shutdown();
            panama.verifierFree(verifier);
            panama.signerFree(signer);
            panama.credentialsFree(creds);
        }
    }

    @Test
    void sixteenPlatformThreads() throws Exception {
        run(Executors.newFixedThreadPool(16), 16, 400);
    }

    @Test
    void manyVirtualThreads() throws Exception {
        run(Executors.newVirtualThreadPerTaskExecutor(), 2000, 3);
    }
}
