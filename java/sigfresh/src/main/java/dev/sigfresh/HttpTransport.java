package dev.sigfresh;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Sends the HTTP requests the credential sources plan (IMDS, container endpoint). Pluggable: the
 * default is {@code java.net.http.HttpClient} on JDK 11+ and {@code HttpURLConnection} on JDK 8
 * ({@link #defaultTransport()}).
 *
 * <p>Failures are reported by exception: {@link java.net.SocketTimeoutException} or
 * {@code java.net.http.HttpTimeoutException} for a timeout, {@link ConnectException} when the
 * connection could not be made, any other {@link IOException} for the rest.
 */
@FunctionalInterface
public interface HttpTransport {

    /**
     * Sends one request and reads the whole response.
     *
     * @param request the request
     * @return the response
     * @throws IOException on a transport failure (see the interface docs)
     */
    Response send(Request request) throws IOException;

    /**
     * The default transport for this JDK.
     *
     * @return the transport
     */
    static HttpTransport defaultTransport() {
        return dev.sigfresh.internal.Transports.defaultTransport();
    }

    /** A planned request. Header values may be secret (the IMDS token): never log them. */
    final class Request {
        private final String method;
        private final String url;
        private final List<Header> headers;
        private final byte[] body;
        private final Duration timeout;
        private final boolean useProxy;
        private final List<String> connectTo;

        /**
         * Creates a request (the sources do this).
         *
         * @param method "GET", "PUT" or "POST"
         * @param url the absolute URL
         * @param headers the headers
         * @param body the body (empty for GET)
         * @param timeout give up after this long
         * @param useProxy whether the host's proxy settings may be used
         * @param connectTo when not empty: the only IP addresses to connect to
         */
        public Request(String method, String url, List<Header> headers, byte[] body, Duration timeout,
                boolean useProxy, List<String> connectTo) {
            this.method = Objects.requireNonNull(method, "method");
            this.url = Objects.requireNonNull(url, "url");
            this.headers = Collections.unmodifiableList(headers);
            this.body = body;
            this.timeout = timeout;
            this.useProxy = useProxy;
            this.connectTo = Collections.unmodifiableList(connectTo);
        }

        /** @return the method */
        public String method() {
            return method;
        }

        /** @return the absolute URL */
        public String url() {
            return url;
        }

        /** @return the headers (values may be secret) */
        public List<Header> headers() {
            return headers;
        }

        /** @return the body (do not modify) */
        public byte[] body() {
            return body;
        }

        /** @return the timeout for the whole exchange */
        public Duration timeout() {
            return timeout;
        }

        /** @return whether proxy settings may be used (metadata endpoints: never) */
        public boolean useProxy() {
            return useProxy;
        }

        /** @return the allowed IP addresses (empty: any) */
        public List<String> connectTo() {
            return connectTo;
        }

        @Override
        public String toString() {
            return method + " " + url;
        }
    }

    /** A response. */
    final class Response {
        private final int status;
        private final List<Header> headers;
        private final byte[] body;

        /**
         * Creates a response.
         *
         * @param status the status code
         * @param headers the headers
         * @param body the body
         */
        public Response(int status, List<Header> headers, byte[] body) {
            this.status = status;
            this.headers = Collections.unmodifiableList(Objects.requireNonNull(headers, "headers"));
            this.body = Objects.requireNonNull(body, "body");
        }

        /** @return the status code */
        public int status() {
            return status;
        }

        /** @return the headers */
        public List<Header> headers() {
            return headers;
        }

        /** @return the body */
        public byte[] body() {
            return body;
        }
    }
}
