package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeRef;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Classifies AWS error responses (S3 XML, query-protocol XML, JSON {@code __type} /
 * {@code x-amzn-ErrorType}, API Gateway's bare {@code {"message": ...}}, bodiless statuses) with
 * the core's rules: {@code ExpiredToken} means refresh and retry, {@code RequestTimeTooSkewed}
 * or a signature error with a skewed {@code Date} means correct the clock and retry, throttling
 * means back off. Thread-safe.
 *
 * <pre>{@code
 * ErrorClassifier classifier = ErrorClassifier.builder().clockSkew(skew).build();
 * Classification c = classifier.classify(status, responseHeaders, responseBody);
 * switch (c.action()) {
 *     case REFRESH_CREDENTIALS_AND_RETRY: cache.invalidate(signedWith); // then re-sign, retry once
 *     case CORRECT_CLOCK_AND_RETRY:       // the skew tracker learned the offset: re-sign, retry once
 *     ...
 * }
 * }</pre>
 *
 * <p>With a {@link ClockSkew}, the server time in the response is fed into it (the same tracker
 * given to {@link Signer.Builder#clockSkew(ClockSkew)} then corrects the next signatures).
 */
public final class ErrorClassifier {
    private final ClockSkew skew;
    private final Clock clock;

    private ErrorClassifier(Builder b) {
        this.skew = b.skew;
        this.clock = b.clock;
    }

    /**
     * A classifier without a clock-skew tracker, on the system clock.
     *
     * @return the classifier
     */
    public static ErrorClassifier create() {
        return builder().build();
    }

    /**
     * Starts a classifier.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Classifies a response that arrived now (the builder's clock).
     *
     * @param status the HTTP status
     * @param headers the response headers
     * @param body the response body; null for none
     * @return the classification
     */
    public Classification classify(int status, List<Header> headers, byte[] body) {
        return classify(status, headers, body, clock.instant(), null);
    }

    /**
     * Classifies a response that arrived at {@code localNow} (the host clock).
     *
     * @param status the HTTP status
     * @param headers the response headers
     * @param body the response body; null for none
     * @param localNow when the response arrived, by the host clock
     * @return the classification
     */
    public Classification classify(int status, List<Header> headers, byte[] body, Instant localNow) {
        return classify(status, headers, body, localNow, null);
    }

    /**
     * Classifies a response to a request signed with {@code signedWith}, so that
     * {@link Classification#actionForSource()} is set.
     *
     * @param status the HTTP status (0 to 65535)
     * @param headers the response headers
     * @param body the response body; null for none
     * @param localNow when the response arrived, by the host clock
     * @param signedWith the credentials the request was signed with; null for none
     * @return the classification
     * @throws IllegalArgumentException when the status is out of range
     */
    public Classification classify(int status, List<Header> headers, byte[] body, Instant localNow,
            Credentials signedWith) {
        if (status < 0 || status > 0xFFFF) {
            throw new IllegalArgumentException("status must be 0 to 65535: " + status);
        }
        String[] flat = Header.flatten(Objects.requireNonNull(headers, "headers"));
        long now = Objects.requireNonNull(localNow, "localNow").toEpochMilli();
        NativeRef cr = signedWith == null ? null : signedWith.ref();
        long c = cr == null ? 0 : cr.acquire();
        try {
            long s = skew == null ? 0 : skew.acquire();
            try {
                return new Classification(Bindings.api().classify(status, flat, body, s, now, c));
            } finally {
                if (skew != null) {
                    skew.release();
                }
            }
        } finally {
            if (cr != null) {
                cr.release();
            }
        }
    }

    /** Builds an {@link ErrorClassifier}. Not thread-safe. */
    public static final class Builder {
        private ClockSkew skew;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * A tracker that learns the offset from server times in the responses.
         *
         * @param skew the tracker (stays the caller's)
         * @return this builder
         */
        public Builder clockSkew(ClockSkew skew) {
            this.skew = Objects.requireNonNull(skew, "skew");
            return this;
        }

        /**
         * The clock for {@link ErrorClassifier#classify(int, List, byte[])}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the classifier.
         *
         * @return the classifier
         */
        public ErrorClassifier build() {
            return new ErrorClassifier(this);
        }
    }
}
