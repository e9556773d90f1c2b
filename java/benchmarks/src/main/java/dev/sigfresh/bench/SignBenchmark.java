package dev.sigfresh.bench;

import dev.sigfresh.Credentials;
import dev.sigfresh.Header;
import dev.sigfresh.Signer;
import dev.sigfresh.SigningRequest;
import dev.sigfresh.internal.Bindings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * One signature of W1, W2 or W3 per operation, by sigfresh through JNI, sigfresh through Panama,
 * or the AWS SDK for Java v2's {@link AwsV4HttpSigner}. Everything that does not depend on the
 * request is built in the setup (signer, credentials, request description, SDK sign request);
 * the timed call is what an application calls per request. Each (signer, workload) pair runs in
 * its own JVM fork, so the binding is fixed per fork through {@code sigfresh.binding}.
 *
 * <p>The setup checks every signer against {@code workload.json}'s signature (W2: the SDK always
 * signs {@code x-amz-content-sha256}, so both sides sign it there and must agree with each other;
 * sigfresh without it must give the file's signature).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 1)
public class SignBenchmark {

    @Param({"jni", "panama", "sdk"})
    public String signer;

    @Param({"W1", "W2", "W3"})
    public String workload;

    private Supplier<Object> op;
    private Signer sigfresh;
    private Credentials credentials;

    @Setup(Level.Trial)
    public void setup() {
        Workload w = Workload.load(workload);
        if (signer.equals("sdk")) {
            op = sdk(w);
        } else {
            System.setProperty(Bindings.PROPERTY, signer);
            String actual = Bindings.api().bindingName();
            if (!actual.equals(signer)) {
                throw new IllegalStateException("asked for " + signer + ", got " + actual);
            }
            op = sigfresh(w);
        }
        String check = signatureOf(op.get());
        String expected = w.name.equals("W2") ? w2Reference(w) : w.signature;
        if (!check.equals(expected)) {
            throw new IllegalStateException(signer + " " + workload + ": signature " + check + ", expected " + expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (sigfresh != null) {
            sigfresh.close();
            credentials.close();
        }
    }

    @Benchmark
    public Object sign() {
        return op.get();
    }

    // ------------------------------------------------------------------ sigfresh

    private static Signer.Builder signerFor(Workload w, boolean contentSha256ForW2) {
        Signer.Builder b = Signer.builder(w.region, w.service);
        if (w.service.equals("s3")) {
            b.s3Defaults();
        } else if (contentSha256ForW2) {
            b.contentSha256Header(true);
        }
        if (w.expires > 0) {
            b.presignExpiry(Duration.ofSeconds(w.expires));
        }
        return b;
    }

    private static SigningRequest requestFor(Workload w) {
        SigningRequest.Builder r = SigningRequest.builder(w.method, w.url);
        for (Map.Entry<String, String> h : w.headers.entrySet()) {
            r.header(h.getKey(), h.getValue());
        }
        if (w.service.equals("s3")) {
            r.unsignedPayload();
        } else {
            r.body(w.body);
        }
        return r.build();
    }

    private Supplier<Object> sigfresh(Workload w) {
        credentials = Credentials.of(w.accessKey, w.secretKey, w.sessionToken, null);
        sigfresh = signerFor(w, true).build();
        SigningRequest request = requestFor(w);
        Credentials c = credentials;
        Signer s = sigfresh;
        java.time.Instant t = w.time;
        if (w.expires > 0) {
            return () -> s.presign(request, c, t);
        }
        return () -> s.sign(request, c, t);
    }

    /** W2 signed by sigfresh with x-amz-content-sha256 (as the SDK does), after checking the file's signature without it. */
    private static String w2Reference(Workload w) {
        try (Credentials c = Credentials.of(w.accessKey, w.secretKey, w.sessionToken, null);
                Signer plain = signerFor(w, false).build();
                Signer withHeader = signerFor(w, true).build()) {
            String fileSig = signatureOf(plain.sign(requestFor(w), c, w.time));
            if (!fileSig.equals(w.signature)) {
                throw new IllegalStateException("sigfresh W2 " + fileSig + " != workload.json " + w.signature);
            }
            return signatureOf(withHeader.sign(requestFor(w), c, w.time));
        }
    }

    // ------------------------------------------------------------------ AWS SDK v2

    private static Supplier<Object> sdk(Workload w) {
        SdkHttpRequest.Builder r = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(w.method))
                .protocol("https")
                .host(w.host)
                .encodedPath(w.path);
        for (String[] q : w.query) {
            r.appendRawQueryParameter(q[0], q[1]);
        }
        for (Map.Entry<String, String> h : w.headers.entrySet()) {
            r.appendHeader(h.getKey(), h.getValue());
        }
        boolean s3 = w.service.equals("s3");
        SignRequest.Builder<AwsSessionCredentialsIdentity> b = SignRequest.builder(
                        AwsSessionCredentialsIdentity.create(w.accessKey, w.secretKey, w.sessionToken))
                .request(r.build())
                .putProperty(AwsV4HttpSigner.REGION_NAME, w.region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, w.service)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(w.time, ZoneOffset.UTC))
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !s3);
        if (w.expires > 0) {
            b.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(w.expires));
        } else if (w.body.length > 0) {
            b.payload(ContentStreamProvider.fromByteArray(w.body));
        }
        SignRequest<AwsSessionCredentialsIdentity> request = b.build();
        AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        if (w.expires > 0) {
            // A presigned URL is what the caller wants: include building it (as S3Presigner does).
            return () -> signer.sign(request).request().getUri();
        }
        return () -> signer.sign(request);
    }

    // ------------------------------------------------------------------ checks

    static String signatureOf(Object out) {
        String text;
        if (out instanceof URI || out instanceof String) {
            text = out.toString();
            int i = text.indexOf("X-Amz-Signature=");
            return text.substring(i + 16, i + 16 + 64);
        }
        if (out instanceof SignedRequest) {
            text = ((SignedRequest) out).request().firstMatchingHeader("Authorization").orElse("");
        } else {
            text = "";
            @SuppressWarnings("unchecked")
            List<Header> hs = (List<Header>) out;
            for (Header h : hs) {
                if (h.name().equalsIgnoreCase("authorization")) {
                    text = h.value();
                }
            }
        }
        return text.substring(text.indexOf("Signature=") + 10);
    }
}
