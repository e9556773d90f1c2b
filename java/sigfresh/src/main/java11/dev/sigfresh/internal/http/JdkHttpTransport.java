package dev.sigfresh.internal.http;

import dev.sigfresh.Header;
import dev.sigfresh.HttpTransport;
import dev.sigfresh.internal.Transports;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link HttpTransport} over {@code java.net.http.HttpClient} (JDK 11+): one client without a
 * proxy and one with the system proxy settings, HTTP/1.1, no redirects. Not public API.
 */
public final class JdkHttpTransport implements HttpTransport {
    private final HttpClient direct = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    private final HttpClient proxied = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(ProxySelector.getDefault() == null ? HttpClient.Builder.NO_PROXY : ProxySelector.getDefault())
            .build();

    /** Creates the transport. */
    public JdkHttpTransport() {}

    @Override
    public Response send(Request request) throws IOException {
        URI uri = URI.create(request.url());
        Transports.checkConnectTo(uri.getHost(), request.connectTo());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(request.timeout())
                .method(request.method(), request.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Header h : request.headers()) {
            String n = h.name().toLowerCase(java.util.Locale.ROOT);
            if (n.equals("host") || n.equals("connection") || n.equals("content-length")) {
                continue; // set by HttpClient itself (it refuses these names)
            }
            b.header(h.name(), h.value());
        }
        HttpClient client = request.useProxy() ? proxied : direct;
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        List<Header> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : r.headers().map().entrySet()) {
            for (String v : e.getValue()) {
                headers.add(new Header(e.getKey(), v));
            }
        }
        return new Response(r.statusCode(), headers, r.body());
    }
}
