package example;

// README-START (java/README.md "Quick start" shows this class verbatim; QuickStartTest checks it)
import dev.sigfresh.Classification;
import dev.sigfresh.CredentialCache;
import dev.sigfresh.Credentials;
import dev.sigfresh.ErrorClassifier;
import dev.sigfresh.Header;
import dev.sigfresh.Signer;
import dev.sigfresh.SigningRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Calls an IAM-authorized API Gateway endpoint; make one at start-up and share it. */
public final class OrdersClient implements AutoCloseable {
    private final CredentialCache cache;
    private final Signer signer;
    private final ErrorClassifier classifier = ErrorClassifier.create();
    private final HttpClient http = HttpClient.newHttpClient();

    /** On EC2: {@code new OrdersClient(CredentialCache.builder(InstanceMetadataSource.create()).build(), "us-east-1")}. */
    public OrdersClient(CredentialCache cache, String region) {
        this.cache = cache;
        this.signer = Signer.builder(region, "execute-api").build();
    }

    /** POSTs JSON; signs with fresh credentials every time, and retries once if AWS says they expired. */
    public HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            SigningRequest request = SigningRequest.builder("POST", url)
                    .header("content-type", "application/json")
                    .body(json)
                    .build();
            try (Credentials credentials = cache.get()) {   // refreshed before they expire
                HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json));
                for (Header h : signer.sign(request, credentials)) {   // x-amz-date, x-amz-security-token, authorization
                    out.header(h.name(), h.value());
                }
                HttpResponse<String> response = http.send(out.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 400 || attempt == 2) {
                    return response;
                }
                Classification c = classifier.classify(response.statusCode(), headers(response),
                        response.body().getBytes(StandardCharsets.UTF_8));
                if (c.action() != Classification.Action.REFRESH_CREDENTIALS_AND_RETRY) {
                    return response;   // c.explanation() says what went wrong and the fix
                }
                cache.invalidate(credentials);   // "The security token included in the request is expired"
            }
        }
    }

    private static List<Header> headers(HttpResponse<?> response) {
        List<Header> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            for (String v : e.getValue()) {
                out.add(new Header(e.getKey(), v));
            }
        }
        return out;
    }

    @Override
    public void close() {
        signer.close();
    }
}
// README-END
