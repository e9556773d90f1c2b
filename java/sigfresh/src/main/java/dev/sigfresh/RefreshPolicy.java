package dev.sigfresh;

import dev.sigfresh.internal.NativeApi;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * When a {@link CredentialCache} refreshes and how it backs off. Immutable; every setting left
 * unset keeps the core's documented default (refresh window, mandatory window, backoff, lease
 * timeout, jitter, IMDS static stability). The core validates the combination when the cache is
 * built ({@code SIGFRESH_POLICY_*} errors name the rule).
 */
public final class RefreshPolicy {
    private final long[] slots;

    private RefreshPolicy(long[] slots) {
        this.slots = slots;
    }

    /**
     * The core's defaults.
     *
     * @return the default policy
     */
    public static RefreshPolicy defaults() {
        return builder().build();
    }

    /**
     * Starts a policy from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    long[] slots() {
        return slots.clone();
    }

    @Override
    public String toString() {
        return "RefreshPolicy" + Arrays.toString(slots);
    }

    /** Builds a {@link RefreshPolicy}. Not thread-safe. */
    public static final class Builder {
        private final long[] s = new long[NativeApi.POLICY_LENGTH];

        private Builder() {
            Arrays.fill(s, -1);
        }

        private Builder duration(int slot, Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration: " + d);
            }
            s[slot] = d.toMillis();
            return this;
        }

        /**
         * How long before expiry a background refresh becomes due.
         *
         * @param d the window
         * @return this builder
         */
        public Builder refreshWindow(Duration d) {
            return duration(0, d);
        }

        /**
         * How long before expiry callers must wait for a refresh instead of signing.
         *
         * @param d the window
         * @return this builder
         */
        public Builder mandatoryWindow(Duration d) {
            return duration(1, d);
        }

        /**
         * How long credentials without an expiry are kept before a refresh.
         *
         * @param d the age
         * @return this builder
         */
        public Builder maxAgeWithoutExpiry(Duration d) {
            return duration(2, d);
        }

        /**
         * The first backoff after a failure.
         *
         * @param d the backoff
         * @return this builder
         */
        public Builder backoffInitial(Duration d) {
            return duration(3, d);
        }

        /**
         * The longest backoff.
         *
         * @param d the backoff
         * @return this builder
         */
        public Builder backoffMax(Duration d) {
            return duration(4, d);
        }

        /**
         * The shortest time between two refreshes.
         *
         * @param d the interval
         * @return this builder
         */
        public Builder minRefreshInterval(Duration d) {
            return duration(5, d);
        }

        /**
         * How long a refresh lease lasts before another caller may take over.
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder leaseTimeout(Duration d) {
            return duration(6, d);
        }

        /**
         * How long a non-retryable failure is remembered.
         *
         * @param d the time to live
         * @return this builder
         */
        public Builder nonRetryableTtl(Duration d) {
            return duration(7, d);
        }

        /**
         * With IMDS static stability: how far an expired credential's use is extended.
         *
         * @param d the interval
         * @return this builder
         */
        public Builder staticStabilityInterval(Duration d) {
            return duration(8, d);
        }

        /**
         * Jitter applied to refresh times, in percent.
         *
         * @param percent 0 to the core's maximum
         * @return this builder
         */
        public Builder jitterPercent(int percent) {
            if (percent < 0) {
                throw new IllegalArgumentException("negative jitter percent: " + percent);
            }
            s[NativeApi.POLICY_JITTER_PERCENT] = percent;
            return this;
        }

        /**
         * Whether IMDS credentials may be used past expiry while IMDS is unavailable.
         *
         * @param enabled whether enabled
         * @return this builder
         */
        public Builder imdsStaticStability(boolean enabled) {
            s[NativeApi.POLICY_IMDS_STATIC_STABILITY] = enabled ? 1 : 0;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         */
        public RefreshPolicy build() {
            return new RefreshPolicy(s.clone());
        }
    }
}
