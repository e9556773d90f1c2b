package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Thread-safe cache of credentials that refreshes them from a {@link CredentialsProvider} when
 * the core's refresh engine says so: before expiry in the background, with one refresh at a
 * time however many threads ask, backoff after failures, and callers waiting only when the
 * cached credentials are too close to expiry to sign with.
 *
 * <pre>{@code
 * CredentialCache cache = CredentialCache.builder(InstanceMetadataSource.create()).build();
 * List<Header> add = signer.sign(request, cache);
 * }</pre>
 *
 * <p>Time is read from the builder's {@link Clock} (inject a fake one in tests). A background
 * refresh (credentials still usable, refresh advised) runs on the builder's executor, by default
 * a shared daemon thread, so request threads do not wait on the provider; a required refresh runs
 * on the calling thread. Using a closed cache throws {@link IllegalStateException}.
 */
public final class CredentialCache implements AutoCloseable {
    private static final int ACCESS_USE = 0;
    private static final int ACCESS_REFRESH = 1;
    private static final int ACCESS_WAIT = 2;
    private static final int ACCESS_FAILED = 3;
    private static final long MAX_WAIT_SLICE_MS = 1000;

    private static final class DefaultExecutor {
        static final ExecutorService INSTANCE = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sigfresh-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    private final NativeRef ref;
    private final CredentialsProvider provider;
    private final Clock clock;
    private final LongSupplier jitter;
    private final Executor executor;
    private volatile String lastFailureMessage;

    private CredentialCache(Builder b, long handle) {
        this.ref = NativeRef.of(this, handle, h -> Bindings.api().cacheFree(h), "CredentialCache");
        this.provider = b.provider;
        this.clock = b.clock;
        this.jitter = b.jitter;
        this.executor = b.executor;
    }

    /**
     * Starts a cache over a provider.
     *
     * @param provider where credentials come from
     * @return a builder
     */
    public static Builder builder(CredentialsProvider provider) {
        return new Builder(provider);
    }

    /**
     * The credentials to sign with now, refreshing first when required. The returned object is
     * the caller's: close it when done (or let the cleaner release it).
     *
     * @return usable credentials
     * @throws CredentialsUnavailableException when none can be had now
     */
    public Credentials get() {
        return new Credentials(acquireCredentialsHandle(clock::millis, new long[1]));
    }

    /**
     * A new credentials handle owned by the caller (free with credentialsFree), usable at the
     * time written to {@code at[0]}: the reading of {@code now} the cache decided on (the signer
     * signs at exactly that time).
     */
    long acquireCredentialsHandle(LongSupplier nowSource, long[] at) {
        NativeApi api = Bindings.api();
        long h = ref.acquire();
        try {
            while (true) {
                long now = nowSource.getAsLong();
                at[0] = now;
                long[] a = api.cacheGet(h, now);
                long creds = a[NativeApi.GET_CREDENTIALS];
                long lease = a[NativeApi.GET_LEASE];
                switch ((int) a[NativeApi.GET_ACCESS_KIND]) {
                    case ACCESS_USE:
                        if (lease != 0) {
                            refreshInBackground(lease);
                        }
                        return creds;
                    case ACCESS_REFRESH:
                        api.credentialsFree(creds);
                        refresh(h, lease);
                        break;
                    case ACCESS_WAIT: {
                        api.credentialsFree(creds);
                        api.leaseFree(lease);
                        long until = a[NativeApi.GET_UNTIL];
                        long wait = Math.max(1, Math.min(MAX_WAIT_SLICE_MS, until - now));
                        api.cacheWaitForChange(h, a[NativeApi.GET_GENERATION], wait);
                        break;
                    }
                    case ACCESS_FAILED: {
                        api.credentialsFree(creds);
                        api.leaseFree(lease);
                        FailureKind kind = FailureKind.of(a[NativeApi.GET_FAILURE_KIND]);
                        Duration retryAfter = a[NativeApi.GET_HAS_RETRY_AFTER] != 0
                                ? Duration.ofMillis(a[NativeApi.GET_RETRY_AFTER]) : null;
                        String last = lastFailureMessage;
                        throw new CredentialsUnavailableException(kind, retryAfter,
                                "no usable credentials; the next refresh is allowed at "
                                        + Instant.ofEpochMilli(a[NativeApi.GET_UNTIL])
                                        + (last == null ? "" : "; last failure: " + last));
                    }
                    default:
                        api.credentialsFree(creds);
                        api.leaseFree(lease);
                        throw new IllegalStateException("unknown cache access kind " + a[NativeApi.GET_ACCESS_KIND]);
                }
            }
        } finally {
            ref.release();
        }
    }

    private void refreshInBackground(long lease) {
        // The cache stays acquired while the background refresh runs.
        final long h = ref.acquire();
        try {
            executor.execute(() -> {
                try {
                    refresh(h, lease);
                } finally {
                    ref.release();
                }
            });
        } catch (RejectedExecutionException e) {
            try {
                Bindings.api().cacheRelease(h, lease);
            } finally {
                Bindings.api().leaseFree(lease);
                ref.release();
            }
        }
    }

    /** Fetches with the provider and completes the lease (always used up and freed). */
    private void refresh(long h, long lease) {
        NativeApi api = Bindings.api();
        boolean completed = false;
        try {
            Credentials fresh;
            try {
                fresh = Objects.requireNonNull(provider.fetchCredentials(), "the provider returned null");
            } catch (CredentialsUnavailableException e) {
                lastFailureMessage = e.getMessage();
                long ra = e.retryAfter().map(Duration::toMillis).orElse(NativeApi.ABSENT_TIME);
                completed = true;
                api.cacheCompleteFailure(h, lease, e.kind().code, ra, clock.millis(), jitter.getAsLong());
                return;
            } catch (RuntimeException e) {
                lastFailureMessage = e.getClass().getSimpleName() + ": " + e.getMessage();
                completed = true;
                api.cacheCompleteFailure(h, lease, FailureKind.RETRYABLE.code, NativeApi.ABSENT_TIME,
                        clock.millis(), jitter.getAsLong());
                return;
            }
            try {
                NativeRef cr = fresh.ref();
                long c = cr.acquire();
                try {
                    completed = true;
                    api.cacheCompleteSuccess(h, lease, c, clock.millis(), jitter.getAsLong());
                    lastFailureMessage = null;
                } finally {
                    cr.release();
                }
            } finally {
                fresh.close();
            }
        } finally {
            try {
                if (!completed) {
                    api.cacheRelease(h, lease);
                }
            } finally {
                api.leaseFree(lease);
            }
        }
    }

    /**
     * Refreshes on the calling thread if a refresh is due now (for {@link BackgroundRefresher}).
     *
     * @return whether a refresh was attempted
     */
    public boolean refreshIfDue() {
        NativeApi api = Bindings.api();
        long h = ref.acquire();
        try {
            long[] a = api.cacheGet(h, clock.millis());
            api.credentialsFree(a[NativeApi.GET_CREDENTIALS]);
            long lease = a[NativeApi.GET_LEASE];
            if (lease == 0) {
                return false;
            }
            refresh(h, lease);
            return true;
        } finally {
            ref.release();
        }
    }

    /**
     * The earliest time the cache hands out a refresh lease (a timer wakes then).
     *
     * @return the time; {@code now} when a refresh is due already
     */
    public Instant nextRefreshAt() {
        long h = ref.acquire();
        try {
            long at = Bindings.api().cacheNextRefreshAt(h);
            return at == NativeApi.ABSENT_TIME ? clock.instant() : Instant.ofEpochMilli(at);
        } finally {
            ref.release();
        }
    }

    /**
     * Installs credentials obtained elsewhere (outside a refresh).
     *
     * @param credentials the credentials (stay the caller's)
     */
    public void install(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        NativeRef cr = credentials.ref();
        long h = ref.acquire();
        try {
            long c = cr.acquire();
            try {
                Bindings.api().cacheInstall(h, c, clock.millis(), jitter.getAsLong());
            } finally {
                cr.release();
            }
        } finally {
            ref.release();
        }
    }

    /**
     * Drops the cached credentials if they are still {@code credentials} (e.g. after AWS answered
     * {@code ExpiredToken} to a request signed with them), so the next call refreshes.
     *
     * @param credentials the credentials the request was signed with
     * @return whether they were dropped
     */
    public boolean invalidate(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        NativeRef cr = credentials.ref();
        long h = ref.acquire();
        try {
            long c = cr.acquire();
            try {
                return Bindings.api().cacheInvalidateIfCurrent(h, c);
            } finally {
                cr.release();
            }
        } finally {
            ref.release();
        }
    }

    /**
     * Drops whatever credentials are cached now, without fetching, so the next call refreshes
     * (e.g. the AWS SDK v1 {@code refresh()}). A refresh in flight is not affected: the
     * credentials it brings are installed.
     *
     * @return whether credentials were dropped
     */
    public boolean invalidateCurrent() {
        NativeApi api = Bindings.api();
        long h = ref.acquire();
        try {
            long c = api.cacheCurrent(h, clock.millis())[7];
            if (c == 0) {
                return false;
            }
            try {
                return api.cacheInvalidateIfCurrent(h, c);
            } finally {
                api.credentialsFree(c);
            }
        } finally {
            ref.release();
        }
    }

    long acquire() {
        return ref.acquire();
    }

    void release() {
        ref.release();
    }

    /**
     * The last refresh failure, cleared by the next success.
     *
     * @return the failure kind
     */
    public Optional<FailureKind> lastFailure() {
        long h = ref.acquire();
        try {
            long[] f = Bindings.api().cacheLastFailure(h);
            return f == null ? Optional.<FailureKind>empty() : Optional.of(FailureKind.of(f[0]));
        } finally {
            ref.release();
        }
    }

    Clock clock() {
        return clock;
    }

    /** Releases the native cache once no call is in flight. Idempotent. */
    @Override
    public void close() {
        ref.close();
    }

    @Override
    public String toString() {
        return "CredentialCache[" + (ref.isClosed() ? "closed" : "provider=" + provider) + "]";
    }

    /** Builds a {@link CredentialCache}. Not thread-safe. */
    public static final class Builder {
        private final CredentialsProvider provider;
        private RefreshPolicy policy = RefreshPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private LongSupplier jitter = () -> ThreadLocalRandom.current().nextLong();
        private Executor executor = DefaultExecutor.INSTANCE;

        private Builder(CredentialsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /**
         * The refresh policy.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder policy(RefreshPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The clock (a fake one in tests).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where jitter comes from (random by default; fixed in tests).
         *
         * @param jitter a source of random 64-bit values
         * @return this builder
         */
        public Builder jitter(LongSupplier jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /**
         * Where background refreshes run ({@code Runnable::run} runs them on the calling thread).
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder backgroundExecutor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the cache.
         *
         * @return the cache
         * @throws SigfreshException {@code SIGFRESH_POLICY_*} when the policy is inconsistent
         */
        public CredentialCache build() {
            return new CredentialCache(this, Bindings.api().cacheNew(policy.slots()));
        }
    }
}
