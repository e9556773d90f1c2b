package dev.sigfresh.internal.panama;
import dev.sigfresh.internal.JniNative;
import dev.sigfresh.internal.NativeApi;

/**
 * A quick side-by-side of the two bindings on the W1–W3 workloads of BENCHMARKS.md (S3 GET
 * with UNSIGNED-PAYLOAD, an execute-api POST hashing a 1 KiB body, an S3 presigned URL), in
 * thread CPU time per signature so other load on the machine matters less. Not JMH and not a
 * test: an indication while the JMH benchmarks are being written.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dsigfresh.library.path=.../libsigfresh_ffi.so \
 *      -cp ... dev.sigfresh.internal.panama.SignBench
 * </pre>
 */
public final class SignBench {
    private SignBench() {}

    private static final java.lang.management.ThreadMXBean TM = java.lang.management.ManagementFactory.getThreadMXBean();
    private static long cpu() { return TM.getCurrentThreadCpuTime(); }
    public static void main(String[] a) {
        NativeApi p = new PanamaNative(), j = new JniNative();
        long creds = p.credentialsNew("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLETOKEN/abc+def==", Long.MIN_VALUE, null, 3);
        long signer = p.signerNew("us-east-1", "execute-api", new long[] {0, -1, -1, -1, -1, -1, -1, -1}, null);
        long s3 = p.signerNew("us-east-1", "s3", new long[] {1, -1, -1, -1, -1, -1, -1, -1}, null);
        long s3p = p.signerNew("us-east-1", "s3", new long[] {1, -1, -1, -1, -1, -1, 1, 900}, null);
        String[] h2 = {"host", "abc123.execute-api.us-east-1.amazonaws.com", "content-type", "application/json", "user-agent", "my-app/1.0"};
        byte[] body = new byte[1024];
        String u2 = "https://abc123.execute-api.us-east-1.amazonaws.com/prod/items";
        String[] h1 = {"host", "bucket.s3.us-east-1.amazonaws.com", "range", "bytes=0-1023", "x-amz-content-sha256", "UNSIGNED-PAYLOAD"};
        String u1 = "https://bucket.s3.us-east-1.amazonaws.com/path/to/object.txt";
        String[] h3 = {"host", "bucket.s3.us-east-1.amazonaws.com"};
        for (int r = 0; r < 5; r++) {
            int n = 200_000;
            for (NativeApi api : new NativeApi[] {p, j}) {
                long sink = 0;
                long t0 = cpu();
                for (int i = 0; i < n; i++) sink += api.sign(s3, "GET", u1, h1, 2, null, creds, 1440938160000L + i * 1000L).length;
                long t1 = cpu();
                for (int i = 0; i < n; i++) sink += api.sign(signer, "POST", u2, h2, 0, body, creds, 1440938160000L + i * 1000L).length;
                long t2 = cpu();
                for (int i = 0; i < n; i++) sink += api.presign(s3p, "GET", u1, h3, 2, null, creds, 1440938160000L + i * 1000L).length();
                long t3 = cpu();
                System.out.printf("%-6s W1 %.0f ns  W2 %.0f ns  W3 %.0f ns (%d)%n", api.bindingName(), (t1-t0)/(double)n, (t2-t1)/(double)n, (t3-t2)/(double)n, sink);
            }
        }
        p.signerFree(signer);
        p.signerFree(s3);
        p.signerFree(s3p);
        p.credentialsFree(creds);
    }
}
