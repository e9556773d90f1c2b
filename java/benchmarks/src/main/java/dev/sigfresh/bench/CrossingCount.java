package dev.sigfresh.bench;

import dev.sigfresh.CredentialCache;
import dev.sigfresh.Credentials;
import dev.sigfresh.Signer;
import dev.sigfresh.SigningRequest;
import dev.sigfresh.internal.Bindings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Counts JNI crossings per signature: run under the {@code count_jni} JVMTI agent
 * ({@code java/benchmarks/run.sh crossings}), which prints the native calls of
 * {@code JniNative} made between two {@link #mark} calls. Signs each workload {@link #N} times
 * with explicit credentials, then through a {@link CredentialCache}.
 */
public final class CrossingCount {
    static final int N = 1000;

    private CrossingCount() {}

    /** The agent reports and resets its counts when this is entered. */
    static void mark(String label) {
        System.out.println(" <- " + label);
        System.out.flush();
    }

    public static void main(String[] args) {
        System.setProperty(Bindings.PROPERTY, "jni");
        System.out.println("binding " + Bindings.api().bindingName());
        mark("loading");
        for (String name : new String[] {"W1", "W2", "W3"}) {
            Workload w = Workload.load(name);
            SignBenchmark b = new SignBenchmark();
            b.signer = "jni";
            b.workload = name;
            b.setup();
            for (int i = 0; i < 10; i++) {
                b.sign();
            }
            mark("setup " + name);
            for (int i = 0; i < N; i++) {
                b.sign();
            }
            mark(name + " explicit credentials x" + N);
            b.tearDown();
            if (w.expires == 0) {
                viaCache(w);
            }
        }
        mark("end");
    }

    /** Signer.sign(request, cache): the cache lookup is part of the signature. */
    private static void viaCache(Workload w) {
        Instant t = w.time;
        Clock clock = Clock.fixed(t, ZoneOffset.UTC);
        try (CredentialCache cache = CredentialCache.builder(
                        () -> Credentials.of(w.accessKey, w.secretKey, w.sessionToken, t.plus(Duration.ofHours(6))))
                .clock(clock).build();
                Signer s = Signer.builder(w.region, w.service).clock(clock).build()) {
            SigningRequest.Builder r = SigningRequest.builder(w.method, w.url);
            w.headers.forEach(r::header);
            SigningRequest request = w.service.equals("s3") ? r.unsignedPayload().build() : r.body(w.body).build();
            for (int i = 0; i < 10; i++) {
                s.sign(request, cache);
            }
            mark("setup cache " + w.name);
            for (int i = 0; i < N; i++) {
                s.sign(request, cache);
            }
            mark(w.name + " through CredentialCache x" + N);
        }
    }
}
