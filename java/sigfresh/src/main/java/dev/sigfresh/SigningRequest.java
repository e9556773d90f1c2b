package dev.sigfresh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A request to sign or verify: method, URI, headers in wire order and what to hash as the
 * payload. Immutable; build one with {@link #builder(String, String)}.
 */
public final class SigningRequest {

    /** What the signature covers as the payload (the C ABI's {@code SIGFRESH_PAYLOAD_*}). */
    public enum Payload {
        /** The body bytes are hashed. */
        BYTES(0),
        /** A hex SHA-256 computed by the caller. */
        PRECOMPUTED(1),
        /** {@code UNSIGNED-PAYLOAD}. */
        UNSIGNED(2),
        /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}. */
        STREAMING_SIGNED(3),
        /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}. */
        STREAMING_SIGNED_TRAILER(4),
        /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}. */
        STREAMING_UNSIGNED_TRAILER(5),
        /** {@code STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD}. */
        STREAMING_ECDSA(6),
        /** {@code STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER}. */
        STREAMING_ECDSA_TRAILER(7);

        final int code;

        Payload(int code) {
            this.code = code;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    final String method;
    final String uri;
    final String[] headers;
    final Payload payload;
    final byte[] payloadData;

    private SigningRequest(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.headers = b.headers.toArray(new String[0]);
        this.payload = b.payload;
        this.payloadData = b.payloadData;
    }

    /**
     * Starts a request.
     *
     * @param method e.g. {@code "GET"}
     * @param uri an absolute URL ({@code https://host/path?query}) or an origin-form target
     *     ({@code /path?query}) with a {@code host} header
     * @return a builder
     */
    public static Builder builder(String method, String uri) {
        return new Builder(method, uri);
    }

    /**
     * The method.
     *
     * @return the method
     */
    public String method() {
        return method;
    }

    /**
     * The URI.
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    /**
     * The headers in wire order.
     *
     * @return an unmodifiable list
     */
    public List<Header> headers() {
        List<Header> out = new ArrayList<>(headers.length / 2);
        for (int i = 0; i < headers.length; i += 2) {
            out.add(new Header(headers[i], headers[i + 1]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The payload kind.
     *
     * @return the kind
     */
    public Payload payload() {
        return payload;
    }

    /** Builds a {@link SigningRequest}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String uri;
        private final List<String> headers = new ArrayList<>();
        private Payload payload = Payload.BYTES;
        private byte[] payloadData = EMPTY;

        private Builder(String method, String uri) {
            this.method = Objects.requireNonNull(method, "method");
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * Adds a header (repeat a name to send it several times).
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(Objects.requireNonNull(name, "name"));
            headers.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds headers.
         *
         * @param list the headers
         * @return this builder
         */
        public Builder headers(Iterable<Header> list) {
            for (Header h : list) {
                header(h.name(), h.value());
            }
            return this;
        }

        /**
         * The body to hash (the default is empty). The array is not copied: do not change it
         * before signing.
         *
         * @param body the body
         * @return this builder
         */
        public Builder body(byte[] body) {
            payload = Payload.BYTES;
            payloadData = Objects.requireNonNull(body, "body");
            return this;
        }

        /**
         * The body as UTF-8 text.
         *
         * @param body the body
         * @return this builder
         */
        public Builder body(String body) {
            return body(Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A payload hash computed by the caller (64 lowercase hex digits).
         *
         * @param hexSha256 the hash
         * @return this builder
         */
        public Builder payloadHash(String hexSha256) {
            payload = Payload.PRECOMPUTED;
            payloadData = Objects.requireNonNull(hexSha256, "hexSha256").getBytes(StandardCharsets.US_ASCII);
            return this;
        }

        /**
         * {@code UNSIGNED-PAYLOAD}.
         *
         * @return this builder
         */
        public Builder unsignedPayload() {
            payload = Payload.UNSIGNED;
            payloadData = EMPTY;
            return this;
        }

        /**
         * One of the streaming markers (or {@link Payload#UNSIGNED}).
         *
         * @param kind the kind; {@link Payload#BYTES} and {@link Payload#PRECOMPUTED} need data,
         *     use {@link #body} or {@link #payloadHash}
         * @return this builder
         */
        public Builder payload(Payload kind) {
            Objects.requireNonNull(kind, "kind");
            if (kind == Payload.BYTES || kind == Payload.PRECOMPUTED) {
                throw new IllegalArgumentException("use body(...) or payloadHash(...) for " + kind);
            }
            payload = kind;
            payloadData = EMPTY;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public SigningRequest build() {
            return new SigningRequest(this);
        }
    }

    @Override
    public String toString() {
        return "SigningRequest[" + method + " " + uri + ", " + headers.length / 2 + " headers, " + payload + "]";
    }
}
