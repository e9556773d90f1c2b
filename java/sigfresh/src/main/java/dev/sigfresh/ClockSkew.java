package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Learns how far this host's clock is from AWS's (from server times in responses) and corrects
 * signing times by that offset. Thread-safe. Give it to {@link Signer.Builder#clockSkew} and to
 * {@link ErrorClassifier}.
 */
public final class ClockSkew implements AutoCloseable {

    /** What a skew check concluded (the C ABI's {@code SIGFRESH_SKEW_VERDICT_*}). */
    public enum Verdict {
        /** The error code says skew. */
        DEFINITE,
        /** Very likely skew. */
        LIKELY,
        /** Possibly skew. */
        POSSIBLE,
        /** Unlikely to be skew. */
        UNLIKELY,
        /** Not a skew error. */
        NOT_SKEW,
        /** A verdict this version does not know. */
        OTHER;

        static Verdict of(long code) {
            return code >= 0 && code < 5 ? values()[(int) code] : OTHER;
        }
    }

    private final NativeRef ref;

    private ClockSkew(long h) {
        this.ref = NativeRef.of(this, h, x -> Bindings.api().skewFree(x), "ClockSkew");
    }

    /**
     * A tracker with the core's default adoption threshold.
     *
     * @return the tracker
     */
    public static ClockSkew create() {
        return new ClockSkew(Bindings.api().skewNew(NativeApi.ABSENT_TIME));
    }

    /**
     * A tracker that adopts offsets larger than {@code threshold}.
     *
     * @param threshold the threshold
     * @return the tracker
     */
    public static ClockSkew withThreshold(Duration threshold) {
        return new ClockSkew(Bindings.api().skewNew(Objects.requireNonNull(threshold, "threshold").toMillis()));
    }

    long acquire() {
        return ref.acquire();
    }

    void release() {
        ref.release();
    }

    long correctedMillis(long localMs) {
        long h = ref.acquire();
        try {
            return Bindings.api().skewCorrected(h, localMs);
        } finally {
            ref.release();
        }
    }

    /**
     * The local time corrected by the learned offset.
     *
     * @param local the local clock reading
     * @return the estimated server time
     */
    public Instant corrected(Instant local) {
        return Instant.ofEpochMilli(correctedMillis(Objects.requireNonNull(local, "local").toEpochMilli()));
    }

    /**
     * The offset in use (server minus local).
     *
     * @return the offset
     */
    public Duration offset() {
        long h = ref.acquire();
        try {
            return Duration.ofMillis(Bindings.api().skewInfo(h)[1]);
        } finally {
            ref.release();
        }
    }

    /**
     * Observes a server time measured over a round trip.
     *
     * @param serverTime the server's time
     * @param requestSent when the request was sent (local clock)
     * @param responseReceived when the response arrived (local clock)
     * @return the offset measured, empty when the reading was unusable (out of order or too slow)
     */
    public Optional<Duration> observe(Instant serverTime, Instant requestSent, Instant responseReceived) {
        long h = ref.acquire();
        try {
            long[] r = Bindings.api().skewObserve(h, serverTime.toEpochMilli(), requestSent.toEpochMilli(),
                    responseReceived.toEpochMilli());
            return r == null ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(r[3]));
        } finally {
            ref.release();
        }
    }

    /**
     * Observes an HTTP {@code Date} header (not from a response with an {@code Age} header).
     *
     * @param dateHeader the header value
     * @param localNow when the response arrived
     * @return the offset measured
     * @throws SigfreshException {@code SIGFRESH_TIME_PARSE} when it does not parse
     */
    public Duration observeDateHeader(String dateHeader, Instant localNow) {
        Objects.requireNonNull(dateHeader, "dateHeader");
        long h = ref.acquire();
        try {
            return Duration.ofMillis(Bindings.api().skewObserveDateHeader(h, dateHeader, localNow.toEpochMilli()));
        } finally {
            ref.release();
        }
    }

    /** Forgets the offset. */
    public void reset() {
        long h = ref.acquire();
        try {
            Bindings.api().skewReset(h);
        } finally {
            ref.release();
        }
    }

    /** Releases the native tracker. Idempotent. */
    @Override
    public void close() {
        ref.close();
    }

    @Override
    public String toString() {
        return ref.isClosed() ? "ClockSkew[closed]" : "ClockSkew[offset=" + offset() + "]";
    }
}
