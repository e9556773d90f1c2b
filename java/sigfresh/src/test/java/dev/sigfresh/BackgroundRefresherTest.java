package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * BackgroundRefresher with a fake clock: it refreshes when the core says a refresh is due,
 * on its own thread, so a request thread never runs (or waits for) a fetch after the first one.
 * Counts and thread names are asserted, never durations.
 */
class BackgroundRefresherTest {
    static final Duration VALIDITY = Duration.ofHours(1);

    @Test
    void refreshesBeforeExpiryOnItsOwnThread() throws Exception {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        ConcurrencyTest.FakeClock clock = new ConcurrencyTest.FakeClock(start.toEpochMilli());
        AtomicInteger fetches = new AtomicInteger();
        List<String> fetchThreads = new CopyOnWriteArrayList<>();
        CredentialsProvider provider = () -> {
            int n = fetches.incrementAndGet();
            fetchThreads.add(Thread.currentThread().getName());
            return Credentials.of("AKIDBACKGROUND" + n, "secret" + n, "token" + n, clock.instant().plus(VALIDITY));
        };
        AtomicInteger executorUses = new AtomicInteger();
        try (CredentialCache cache = CredentialCache.builder(provider).clock(clock).jitter(() -> 0L)
                .backgroundExecutor(r -> {
                    executorUses.incrementAndGet();
                    r.run();
                }).build()) {
            // The first credentials: nothing cached yet, fetched on the calling thread.
            try (Credentials first = cache.get()) {
                assertEquals("AKIDBACKGROUND1", first.accessKeyId());
            }
            String testThread = Thread.currentThread().getName();
            assertEquals(testThread, fetchThreads.get(0));
            Instant due = cache.nextRefreshAt();
            assertTrue(due.isAfter(clock.instant()) && due.isBefore(start.plus(VALIDITY)),
                    "a refresh is due before expiry: " + due);
            try (BackgroundRefresher refresher = BackgroundRefresher.start(cache)) {
                for (int rotation = 2; rotation <= 4; rotation++) {
                    // Just before the refresh is due: nothing happens, however often it looks.
                    clock.ms.set(cache.nextRefreshAt().toEpochMilli() - 1);
                    refresher.wake();
                    Thread.sleep(50);
                    assertEquals(rotation - 1, fetches.get(), "no fetch before the refresh is due");
                    // The refresh time arrives: the refresher fetches, not a request thread.
                    clock.ms.incrementAndGet();
                    refresher.wake();
                    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (fetches.get() < rotation && System.nanoTime() < giveUp) {
                        Thread.sleep(5);
                    }
                    assertEquals(rotation, fetches.get(), "the refresher fetched rotation " + rotation);
                    assertEquals("sigfresh-background-refresher", fetchThreads.get(rotation - 1));
                    // A request now gets the new credentials at once.
                    try (Credentials c = cache.get()) {
                        assertEquals("AKIDBACKGROUND" + rotation, c.accessKeyId());
                        assertTrue(c.expiry().get().isAfter(clock.instant()));
                    }
                    assertEquals(rotation, fetches.get());
                }
            }
        }
        assertEquals(0, executorUses.get(), "no refresh ran on the request path's background executor");
        assertEquals(4, fetches.get());
    }

    @Test
    void closingStopsTheThread() throws Exception {
        try (CredentialCache cache = CredentialCache.builder(() -> Credentials.of("AKID", "secret")).build()) {
            BackgroundRefresher r = BackgroundRefresher.start(cache);
            r.close();
            r.close();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean alive = true;
            while (alive && System.nanoTime() < giveUp) {
                alive = false;
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("sigfresh-background-refresher") && t.isAlive()) {
                        alive = true;
                    }
                }
                Thread.sleep(5);
            }
            assertTrue(!alive, "the refresher thread ended");
        }
    }
}
