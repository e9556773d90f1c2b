package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Signs requests with AWS Signature Version 4 for one region and service. Thread-safe; make one
 * and share it.
 *
 * <pre>{@code
 * try (Signer signer = Signer.builder("us-east-1", "execute-api").build()) {
 *     List<Header> add = signer.sign(request, cache);   // fresh credentials on every call
 * }
 * }</pre>
 *
 * <p>Every time-dependent call has an overload taking the signing {@link Instant}; the others read
 * the builder's {@link Clock} (the system UTC clock by default), corrected by the
 * {@link ClockSkew} when one is set. Using a closed signer throws {@link IllegalStateException}.
 */
public final class Signer implements AutoCloseable {

    /** How the canonical URI path is encoded (the C ABI's {@code SIGFRESH_URI_ENCODING_*}). */
    public enum UriEncoding {
        /** Encode the path twice: every AWS service except S3 (the default). */
        DOUBLE,
        /** Encode once: S3. */
        SINGLE
    }

    /** Whether the session token is signed (the C ABI's {@code SIGFRESH_SESSION_TOKEN_*}). */
    public enum SessionTokenMode {
        /** The token is a signed header or query parameter (the default). */
        SIGNED,
        /** The token is added after signing (a few services require it). */
        APPEND_AFTER_SIGNING
    }

    private final NativeRef ref;
    private final Clock clock;
    private final ClockSkew skew;
    private final boolean presigning;

    private Signer(Builder b, long handle) {
        this.ref = NativeRef.of(this, handle, h -> Bindings.api().signerFree(h), "Signer");
        this.clock = b.clock;
        this.skew = b.skew;
        this.presigning = b.presignExpiry != null;
    }

    /**
     * Starts a signer for a region and service with the default settings.
     *
     * @param region e.g. {@code "us-east-1"}
     * @param service the signing name, e.g. {@code "execute-api"}, {@code "s3"}
     * @return a builder
     */
    public static Builder builder(String region, String service) {
        return new Builder(region, service);
    }

    private long now() {
        long local = clock.millis();
        return skew == null ? local : skew.correctedMillis(local);
    }

    /**
     * Signs at the clock's time: the headers to add to the request ({@code x-amz-date},
     * {@code x-amz-security-token} for temporary credentials, {@code x-amz-content-sha256} when
     * configured, {@code authorization}).
     *
     * @param request the request
     * @param credentials the credentials
     * @return the headers to add, in order
     * @throws SigfreshException {@code SIGFRESH_SIGN_*} naming what is wrong with the request
     */
    public List<Header> sign(SigningRequest request, Credentials credentials) {
        return sign(request, credentials, Instant.ofEpochMilli(now()));
    }

    /**
     * Signs at a given time.
     *
     * @param request the request
     * @param credentials the credentials
     * @param time the signing time
     * @return the headers to add, in order
     */
    public List<Header> sign(SigningRequest request, Credentials credentials, Instant time) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credentials, "credentials");
        long t = Objects.requireNonNull(time, "time").toEpochMilli();
        NativeRef cr = credentials.ref();
        long s = ref.acquire();
        try {
            long c = cr.acquire();
            try {
                return headers(signRaw(s, request, c, t));
            } finally {
                cr.release();
            }
        } finally {
            ref.release();
        }
    }

    /**
     * Signs with the cache's current credentials (refreshing them first when the cache says so)
     * at the signer's clock time; the cache decides on that same time reading, so the credentials
     * are valid at the signing time. This is the call that makes "captured once, expired later" impossible.
     *
     * @param request the request
     * @param cache the credential cache
     * @return the headers to add, in order
     * @throws CredentialsUnavailableException when no usable credentials can be had
     */
    public List<Header> sign(SigningRequest request, CredentialCache cache) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(cache, "cache");
        long s = ref.acquire();
        try {
            // The hot path: fresh credentials cached, one native crossing (JNI).
            long t = now();
            long ch = cache.acquire();
            try {
                String[] fast = Bindings.api().signWithCache(s, ch, request.method, request.uri, request.headers,
                        request.payload.code, request.payloadData, t);
                if (fast != null) {
                    return headers(fast);
                }
            } finally {
                cache.release();
            }
            long[] at = new long[1];
            long c = cache.acquireCredentialsHandle(this::now, at);
            try {
                return headers(signRaw(s, request, c, at[0]));
            } finally {
                Bindings.api().credentialsFree(c);
            }
        } finally {
            ref.release();
        }
    }

    private static String[] signRaw(long signer, SigningRequest r, long creds, long t) {
        return Bindings.api().sign(signer, r.method, r.uri, r.headers, r.payload.code, r.payloadData, creds, t);
    }

    private static List<Header> headers(String[] flat) {
        List<Header> out = new ArrayList<>(flat.length / 2);
        for (int i = 0; i + 1 < flat.length; i += 2) {
            out.add(new Header(flat[i], flat[i + 1]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Presigns at the clock's time (the signer must be built with
     * {@link Builder#presignExpiry(Duration)}).
     *
     * @param request the request
     * @param credentials the credentials
     * @return the presigned URL
     */
    public String presign(SigningRequest request, Credentials credentials) {
        return presign(request, credentials, Instant.ofEpochMilli(now()));
    }

    /**
     * Presigns at a given time.
     *
     * @param request the request
     * @param credentials the credentials
     * @param time the signing time
     * @return the presigned URL
     * @throws IllegalStateException when the signer was not built for presigning
     */
    public String presign(SigningRequest request, Credentials credentials, Instant time) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credentials, "credentials");
        long t = Objects.requireNonNull(time, "time").toEpochMilli();
        if (!presigning) {
            throw new IllegalStateException("this Signer signs headers; build one with presignExpiry(...) to presign");
        }
        NativeRef cr = credentials.ref();
        long s = ref.acquire();
        try {
            long c = cr.acquire();
            try {
                return Bindings.api().presign(
                        s, request.method, request.uri, request.headers, request.payload.code, request.payloadData, c, t);
            } finally {
                cr.release();
            }
        } finally {
            ref.release();
        }
    }

    /**
     * Signs and returns every stage: canonical request, string to sign, signature, and the
     * Authorization value (header signing) or signed URL (presigning). The canonical request
     * contains the session token when one is signed: treat it as secret.
     *
     * @param request the request
     * @param credentials the credentials
     * @param time the signing time
     * @return the stages
     */
    public SigningResult signWithStages(SigningRequest request, Credentials credentials, Instant time) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credentials, "credentials");
        long t = Objects.requireNonNull(time, "time").toEpochMilli();
        NativeRef cr = credentials.ref();
        long s = ref.acquire();
        try {
            long c = cr.acquire();
            try {
                String[][] r = Bindings.api().signOutput(
                        s, request.method, request.uri, request.headers, request.payload.code, request.payloadData, c, t);
                return new SigningResult(r[0], headers(r[1]), headers(r[2]));
            } finally {
                cr.release();
            }
        } finally {
            ref.release();
        }
    }

    /** Releases the native signer. Idempotent. */
    @Override
    public void close() {
        ref.close();
    }

    /** Builds a {@link Signer}. Not thread-safe. */
    public static final class Builder {
        private final String region;
        private final String service;
        private boolean s3;
        private UriEncoding uriEncoding;
        private Boolean normalizePath;
        private SessionTokenMode sessionTokenMode;
        private Boolean contentSha256Header;
        private int headerSelection = -1;
        private String[] headerNames;
        private Duration presignExpiry;
        private Clock clock = Clock.systemUTC();
        private ClockSkew skew;

        private Builder(String region, String service) {
            this.region = Objects.requireNonNull(region, "region");
            this.service = Objects.requireNonNull(service, "service");
        }

        /**
         * Starts from S3's settings (single URI encoding, no path normalization,
         * {@code x-amz-content-sha256} added) instead of the general defaults.
         *
         * @return this builder
         */
        public Builder s3Defaults() {
            s3 = true;
            return this;
        }

        /**
         * The canonical URI encoding.
         *
         * @param encoding the encoding
         * @return this builder
         */
        public Builder uriEncoding(UriEncoding encoding) {
            this.uriEncoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /**
         * Whether {@code .}/{@code ..} segments and repeated slashes are normalized.
         *
         * @param normalize true (the default except for S3) or false
         * @return this builder
         */
        public Builder normalizePath(boolean normalize) {
            this.normalizePath = normalize;
            return this;
        }

        /**
         * Whether the session token is signed.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder sessionTokenMode(SessionTokenMode mode) {
            this.sessionTokenMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether to add (and sign) {@code x-amz-content-sha256}.
         *
         * @param add whether to add it
         * @return this builder
         */
        public Builder contentSha256Header(boolean add) {
            this.contentSha256Header = add;
            return this;
        }

        /**
         * Signs only these headers (plus the ones SigV4 always signs).
         *
         * @param names header names, any case
         * @return this builder
         */
        public Builder signedHeadersAllowList(String... names) {
            headerSelection = 1;
            headerNames = copy(names);
            return this;
        }

        /**
         * Signs every header except these.
         *
         * @param names header names, any case
         * @return this builder
         */
        public Builder signedHeadersDenyList(String... names) {
            headerSelection = 2;
            headerNames = copy(names);
            return this;
        }

        private static String[] copy(String[] names) {
            String[] c = Arrays.copyOf(Objects.requireNonNull(names, "names"), names.length);
            for (String n : c) {
                Objects.requireNonNull(n, "header name");
            }
            return c;
        }

        /**
         * Makes a presigning signer: the signature goes in the query string, valid for
         * {@code expiry} (1 second to 7 days).
         *
         * @param expiry how long the URL is valid
         * @return this builder
         */
        public Builder presignExpiry(Duration expiry) {
            this.presignExpiry = Objects.requireNonNull(expiry, "expiry");
            return this;
        }

        /**
         * The clock for the calls without an explicit time.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Corrects the clock by the offset a {@link ClockSkew} learned from AWS responses.
         *
         * @param skew the tracker
         * @return this builder
         */
        public Builder clockSkew(ClockSkew skew) {
            this.skew = Objects.requireNonNull(skew, "skew");
            return this;
        }

        /**
         * Builds the signer.
         *
         * @return the signer
         * @throws SigfreshException {@code SIGFRESH_SIGN_INVALID_REGION}/{@code _SERVICE}/
         *     {@code _EXPIRES} and the like
         */
        public Signer build() {
            long[] s = new long[NativeApi.SETTINGS_LENGTH];
            Arrays.fill(s, -1);
            s[NativeApi.SETTINGS_BASE] = s3 ? 1 : 0;
            if (uriEncoding != null) {
                s[NativeApi.SETTINGS_URI_ENCODING] = uriEncoding == UriEncoding.DOUBLE ? 0 : 1;
            }
            if (normalizePath != null) {
                s[NativeApi.SETTINGS_PATH_NORMALIZATION] = normalizePath ? 0 : 1;
            }
            if (sessionTokenMode != null) {
                s[NativeApi.SETTINGS_SESSION_TOKEN_MODE] = sessionTokenMode == SessionTokenMode.SIGNED ? 0 : 1;
            }
            if (contentSha256Header != null) {
                s[NativeApi.SETTINGS_CONTENT_SHA256] = contentSha256Header ? 1 : 0;
            }
            s[NativeApi.SETTINGS_HEADER_SELECTION] = headerSelection;
            if (presignExpiry != null) {
                s[NativeApi.SETTINGS_LOCATION] = 1;
                long secs = presignExpiry.getSeconds();
                s[NativeApi.SETTINGS_EXPIRES_IN_SECS] = Math.min(Math.max(secs, 0), Integer.MAX_VALUE);
            }
            long h = Bindings.api().signerNew(region, service, s, headerNames);
            return new Signer(this, h);
        }
    }
}
