package dev.sigfresh;

import java.time.Clock;
import java.util.Objects;

/**
 * A daemon thread that refreshes a {@link CredentialCache} when the core says a refresh is due
 * ({@link CredentialCache#nextRefreshAt()}), so request threads find fresh credentials and never
 * wait on IMDS. Optional: without it, the cache refreshes on the request path (in the background
 * executor while the credentials are still usable).
 *
 * <pre>{@code
 * try (BackgroundRefresher r = BackgroundRefresher.start(cache)) { ... }
 * }</pre>
 */
public final class BackgroundRefresher implements AutoCloseable {
    private static final long MAX_SLEEP_MS = 60_000;
    private static final long IDLE_MS = 100;

    private final CredentialCache cache;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;
    /** Counts {@link #wake()} calls; guarded by {@code this}. */
    private long wakeups;

    private BackgroundRefresher(CredentialCache cache) {
        this.cache = cache;
        this.clock = cache.clock();
        this.thread = new Thread(this::run, "sigfresh-background-refresher");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a refresher for a cache.
     *
     * @param cache the cache (its clock is used)
     * @return the running refresher
     */
    public static BackgroundRefresher start(CredentialCache cache) {
        BackgroundRefresher r = new BackgroundRefresher(Objects.requireNonNull(cache, "cache"));
        r.thread.start();
        return r;
    }

    private void run() {
        while (!closed) {
            try {
                long seen;
                synchronized (this) {
                    seen = wakeups;
                }
                long wait = cache.nextRefreshAt().toEpochMilli() - clock.millis();
                if (wait > 0) {
                    synchronized (this) {
                        // A wake() since the reading above means the clock may have moved: look again.
                        if (!closed && wakeups == seen) {
                            wait(Math.min(wait, MAX_SLEEP_MS));
                        }
                    }
                    continue;
                }
                if (!cache.refreshIfDue()) {
                    synchronized (this) {
                        if (!closed) {
                            wait(IDLE_MS);
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IllegalStateException e) {
                return; // the cache was closed
            } catch (RuntimeException e) {
                // the failure is recorded by the cache; its backoff decides the next attempt
                synchronized (this) {
                    try {
                        wait(IDLE_MS);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Makes the thread look at the cache and the clock again now instead of at the end of its
     * sleep (for a clock that jumps, e.g. a fake clock in tests; the system clock needs none: the
     * thread never sleeps longer than a minute).
     */
    synchronized void wake() {
        wakeups++;
        notifyAll();
    }

    /** Stops the thread (does not close the cache). Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        thread.interrupt();
    }
}
