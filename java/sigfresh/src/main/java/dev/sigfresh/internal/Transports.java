package dev.sigfresh.internal;

import dev.sigfresh.Header;
import dev.sigfresh.HttpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default {@link HttpTransport}s: {@code java.net.http.HttpClient} on JDK 11+ (class
 * {@code dev.sigfresh.internal.http.JdkHttpTransport} in {@code META-INF/versions/11}), else
 * {@link HttpURLConnection}. Not public API.
 */
public final class Transports {
    private Transports() {}

    private static final class Holder {
        static final HttpTransport DEFAULT = pick();
    }

    /**
     * The default transport.
     *
     * @return the transport
     */
    public static HttpTransport defaultTransport() {
        return Holder.DEFAULT;
    }

    private static HttpTransport pick() {
        if (Bindings.javaFeatureVersion() >= 11) {
            try {
                Class<?> c = Class.forName("dev.sigfresh.internal.http.JdkHttpTransport");
                return (HttpTransport) c.getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall back below (e.g. running from classes without the multi-release part)
            }
        }
        return new UrlConnectionTransport();
    }

    /** {@link HttpURLConnection}, never through a proxy unless the request allows it. */
    public static final class UrlConnectionTransport implements HttpTransport {
        @Override
        public Response send(Request request) throws IOException {
            URL url = new URL(request.url());
            checkConnectTo(url.getHost(), request.connectTo());
            HttpURLConnection c = (HttpURLConnection) (request.useProxy()
                    ? url.openConnection() : url.openConnection(Proxy.NO_PROXY));
            int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, request.timeout().toMillis()));
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod(request.method());
            for (Header h : request.headers()) {
                c.addRequestProperty(h.name(), h.value());
            }
            byte[] body = request.body();
            if (body.length > 0 || !"GET".equals(request.method())) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            try {
                int status = c.getResponseCode();
                List<Header> headers = new ArrayList<>();
                for (Map.Entry<String, List<String>> e : c.getHeaderFields().entrySet()) {
                    if (e.getKey() == null) {
                        continue;
                    }
                    for (String v : e.getValue()) {
                        headers.add(new Header(e.getKey(), v));
                    }
                }
                InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                byte[] bytes = in == null ? new byte[0] : readAll(in);
                return new Response(status, headers, bytes);
            } finally {
                c.disconnect();
            }
        }
    }

    /**
     * Refuses a host that is not one of the allowed addresses.
     *
     * @param host the URL's host
     * @param connectTo the allowed addresses (empty: any)
     * @throws java.net.ConnectException when not allowed
     */
    public static void checkConnectTo(String host, List<String> connectTo) throws java.net.ConnectException {
        if (connectTo.isEmpty()) {
            return;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!connectTo.contains(h)) {
            throw new java.net.ConnectException("host " + host + " is not one of the allowed addresses " + connectTo);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (InputStream i = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = i.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
