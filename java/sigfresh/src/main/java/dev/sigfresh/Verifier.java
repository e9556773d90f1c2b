package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Verifies SigV4-signed requests as a server receives them: an {@code Authorization} header or a
 * presigned URL ({@code X-Amz-Signature} in the query), and the payload. The core recomputes the
 * signature with the credentials the {@link CredentialsLookup} returns for the request's access
 * key id and checks the signing time against the verifier's clock (at most
 * {@linkplain Builder#maxSkew(Duration) max skew} away; a presigned URL also within its
 * {@code X-Amz-Expires}). Thread-safe; make one and share it.
 *
 * <pre>{@code
 * try (Verifier verifier = Verifier.builder().build()) {
 *     VerifiedRequest ok = verifier.verify(received, keyId -> keys.get(keyId));
 *     // ok.accessKeyId(), ok.region(), ok.service(), ok.signedAt(), ok.signedHeaders()
 * } catch (VerificationException e) {
 *     // e.reason(): SIGNATURE_MISMATCH, EXPIRED, UNKNOWN_ACCESS_KEY, ...; e.detail(): why, precisely
 * }
 * }</pre>
 *
 * <p>The settings must match the signer's: S3 requests ({@link Builder#s3Defaults()}) use single
 * URI encoding and no path normalization. Using a closed verifier throws
 * {@link IllegalStateException}.
 */
public final class Verifier implements AutoCloseable {

    /** Finds the credentials that belong to an access key id (a server's key store). */
    @FunctionalInterface
    public interface CredentialsLookup {
        /**
         * The credentials for an access key id.
         *
         * @param accessKeyId the id the request names
         * @return the credentials, or null when the key is unknown (the verification then fails
         *     with {@link VerificationException.Reason#UNKNOWN_ACCESS_KEY}); an open
         *     {@link Credentials} that stays the lookup's (it is not closed by the verifier)
         */
        Credentials find(String accessKeyId);

        /**
         * A lookup over a fixed set of credentials, matched by access key id.
         *
         * @param credentials the known credentials
         * @return the lookup
         */
        static CredentialsLookup of(Credentials... credentials) {
            final List<Credentials> known = new ArrayList<>(Arrays.asList(credentials));
            for (Credentials c : known) {
                Objects.requireNonNull(c, "credentials element");
            }
            return id -> {
                for (Credentials c : known) {
                    if (c.accessKeyId().equals(id)) {
                        return c;
                    }
                }
                return null;
            };
        }
    }

    private final NativeRef ref;
    private final Clock clock;

    private Verifier(Builder b, long handle) {
        this.ref = NativeRef.of(this, handle, h -> Bindings.api().verifierFree(h), "Verifier");
        this.clock = b.clock;
    }

    /**
     * Starts a verifier with the defaults: double URI encoding, path normalization, 15 minutes
     * of allowed skew, a signed session token in presigned URLs.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies at the clock's time.
     *
     * @param request the request as received (method, URI with its query, every header, payload)
     * @param lookup finds the credentials for the request's access key id
     * @return what the request was signed with
     * @throws VerificationException when it does not verify (the reason and the core's detail)
     */
    public VerifiedRequest verify(SigningRequest request, CredentialsLookup lookup) {
        return verify(request, lookup, clock.instant());
    }

    /**
     * Verifies at a given time.
     *
     * @param request the request as received
     * @param lookup finds the credentials for the request's access key id; an exception it
     *     throws propagates unchanged
     * @param now the verifier's time
     * @return what the request was signed with
     * @throws VerificationException when it does not verify
     */
    public VerifiedRequest verify(SigningRequest request, CredentialsLookup lookup, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(lookup, "lookup");
        long t = Objects.requireNonNull(now, "now").toEpochMilli();
        final List<NativeRef> held = new ArrayList<>(1);
        final Throwable[] thrown = new Throwable[1];
        // Never throws into native code: the binding's callback would have to carry it across.
        NativeApi.CredentialsLookup bridge = id -> {
            try {
                Credentials c = lookup.find(id);
                if (c == null) {
                    return 0;
                }
                NativeRef r = c.ref();
                long h = r.acquire();
                held.add(r);
                return h;
            } catch (Throwable e) {
                thrown[0] = e;
                return 0;
            }
        };
        long v = ref.acquire();
        try {
            String[] r;
            try {
                r = Bindings.api().verifyWithLookup(
                        v, request.method, request.uri, request.headers, request.payload.code, request.payloadData,
                        bridge, t);
            } catch (SigfreshException e) {
                if (thrown[0] != null) {
                    throw rethrow(thrown[0]);
                }
                if (VerificationException.isVerificationCode(e.code())) {
                    throw new VerificationException(e);
                }
                throw e;
            }
            if (thrown[0] != null) {
                throw rethrow(thrown[0]);
            }
            return new VerifiedRequest(r);
        } finally {
            for (NativeRef h : held) {
                h.release();
            }
            ref.release();
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException("the credentials lookup failed", t);
    }

    /** Releases the native verifier. Idempotent. */
    @Override
    public void close() {
        ref.close();
    }

    /** Builds a {@link Verifier}. Not thread-safe. */
    public static final class Builder {
        private boolean s3;
        private Signer.UriEncoding uriEncoding;
        private Boolean normalizePath;
        private Signer.SessionTokenMode sessionTokenMode;
        private Duration maxSkew;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * S3's rules: single URI encoding, no path normalization.
         *
         * @return this builder
         */
        public Builder s3Defaults() {
            s3 = true;
            return this;
        }

        /**
         * The URI encoding the signer used.
         *
         * @param encoding the encoding
         * @return this builder
         */
        public Builder uriEncoding(Signer.UriEncoding encoding) {
            this.uriEncoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /**
         * Whether the signer normalized the path.
         *
         * @param normalize whether it did
         * @return this builder
         */
        public Builder normalizePath(boolean normalize) {
            this.normalizePath = normalize;
            return this;
        }

        /**
         * Whether a presigned URL's {@code X-Amz-Security-Token} was signed.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder sessionTokenMode(Signer.SessionTokenMode mode) {
            this.sessionTokenMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How far the signing time may be from the verifier's time (default 15 minutes; whole
         * seconds, 0 to 2^32-1).
         *
         * @param maxSkew the allowed difference
         * @return this builder
         * @throws IllegalArgumentException when negative or too large
         */
        public Builder maxSkew(Duration maxSkew) {
            long s = Objects.requireNonNull(maxSkew, "maxSkew").getSeconds();
            if (maxSkew.isNegative() || s > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("maxSkew must be 0 to 2^32-1 seconds: " + maxSkew);
            }
            this.maxSkew = maxSkew;
            return this;
        }

        /**
         * The clock for {@link Verifier#verify(SigningRequest, CredentialsLookup)}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return the verifier
         */
        public Verifier build() {
            long[] s = new long[NativeApi.VERIFIER_LENGTH];
            Arrays.fill(s, -1);
            s[NativeApi.VERIFIER_BASE] = s3 ? 1 : 0;
            if (uriEncoding != null) {
                s[NativeApi.VERIFIER_URI_ENCODING] = uriEncoding == Signer.UriEncoding.DOUBLE ? 0 : 1;
            }
            if (normalizePath != null) {
                s[NativeApi.VERIFIER_PATH_NORMALIZATION] = normalizePath ? 0 : 1;
            }
            if (sessionTokenMode != null) {
                s[NativeApi.VERIFIER_SESSION_TOKEN_MODE] =
                        sessionTokenMode == Signer.SessionTokenMode.SIGNED ? 0 : 1;
            }
            if (maxSkew != null) {
                s[NativeApi.VERIFIER_MAX_SKEW_SECS] = maxSkew.getSeconds();
            }
            return new Verifier(this, Bindings.api().verifierNew(s));
        }
    }
}
