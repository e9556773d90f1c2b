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
                long wait = cache.nextRefreshAt().toEpochMilli() - clock.millis();
                if (wait > 0) {
                    synchronized (this) {
                        if (!closed) {
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
