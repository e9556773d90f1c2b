package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 16 threads sign through one CredentialCache (default refresh policy) while a fake clock
 * crosses many rotations of 15-minute credentials from a scripted provider. Asserts counts,
 * not timing: no signature made with expired credentials, and exactly one refresh per
 * rotation — every fetch is used, none overlaps another, none comes before the previous
 * credentials entered their refresh window.
 *
 * <p>The run is in rounds: the test moves the clock, then the 16 threads are released at once
 * and each signs twice at that instant, all racing for the cache. The clock never moves while a
 * round runs, so a refresh that starts in a round also ends in it (a real fetch takes
 * milliseconds and a 30-second lease never runs out; a fake clock that raced ahead of real time
 * would make leases expire under a thread that was merely descheduled, and with them cause a
 * second fetch that real time would never cause). Most rounds move the clock 5 seconds (the
 * advisory window: one thread refreshes while the others keep signing with the old
 * credentials); after two of every three fetches the clock jumps instead, from just before the
 * refresh window into the mandatory window (30 s before expiry) or past expiry (10 s after):
 * then one thread refreshes and the others wait for it. The last round is repeated at the same instant,
 * so credentials fetched in the final round are used too: with a frozen clock no further
 * refresh can become due, and "every fetch was used" holds exactly.
 */
class ConcurrencyTest {

    /** A clock that only moves when the test says so. */
    static final class FakeClock extends Clock {
        final AtomicLong ms;

        FakeClock(long start) {
            ms = new AtomicLong(start);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms.get());
        }

        @Override
        public long millis() {
            return ms.get();
        }
    }

    @Test
    void sixteenThreadsAcrossRotations() throws Exception {
        final int threads = 16;
        final int rounds = 1500;
        long start = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        FakeClock clock = new FakeClock(start);
        long validity = TimeUnit.MINUTES.toMillis(15);
        long refreshWindow = TimeUnit.MINUTES.toMillis(5); // RefreshPolicy.defaults()
        Map<String, Long> expiryByKey = new ConcurrentHashMap<>();
        List<long[]> fetchLog = new ArrayList<>(); // {fetch time, expiry}; appended by one thread at a time
        AtomicInteger fetches = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CredentialsProvider provider = () -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                int n = fetches.incrementAndGet();
                long expiry = clock.millis() + validity;
                String akid = "AKIDROTATION" + n;
                expiryByKey.put(akid, expiry);
                synchronized (fetchLog) {
                    fetchLog.add(new long[] {clock.millis(), expiry});
                }
                return Credentials.of(akid, "secret" + n, "token" + n, Instant.ofEpochMilli(expiry));
            } finally {
                inFlight.decrementAndGet();
            }
        };
        Set<String> used = ConcurrentHashMap.newKeySet();
        AtomicInteger expiredUses = new AtomicInteger();
        AtomicInteger signatures = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CyclicBarrier go = new CyclicBarrier(threads + 1);
        CyclicBarrier done = new CyclicBarrier(threads + 1);
        List<String> jumps = new ArrayList<>();
        AtomicInteger roundsLeft = new AtomicInteger(rounds + 1); // + the repeated last round
        try (CredentialCache cache = CredentialCache.builder(provider).clock(clock).jitter(() -> 0L)
                        .backgroundExecutor(Runnable::run).build();
                Signer signer = Signer.builder("us-east-1", "execute-api").clock(clock).build()) {
            SigningRequest req = SigningRequest.builder("GET", "https://abc.execute-api.us-east-1.amazonaws.com/prod/x")
                    .build();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        while (true) {
                            go.await(60, TimeUnit.SECONDS);
                            if (roundsLeft.get() < 0) {
                                return;
                            }
                            for (int k = 0; k < 2; k++) {
                                List<Header> hs = signer.sign(req, cache);
                                String auth = hs.get(hs.size() - 1).value();
                                String akid = auth.substring(auth.indexOf("Credential=") + 11, auth.indexOf('/'));
                                long signedAt = Bindings.api().timeParse(NativeApi.TIME_AMZ_DATE, hs.get(0).value());
                                used.add(akid);
                                if (signedAt >= expiryByKey.get(akid)) {
                                    expiredUses.incrementAndGet();
                                }
                                signatures.incrementAndGet();
                            }
                            done.await(60, TimeUnit.SECONDS);
                        }
                    } catch (Throwable e) {
                        e.printStackTrace();
                        errors.incrementAndGet();
                        go.reset();
                        done.reset();
                    }
                }, "signer-" + t);
                th.start();
                workers.add(th);
            }
            int jumpedAfterFetch = 0;
            for (int r = 0; r <= rounds && errors.get() == 0; r++) {
                if (r > 0 && r < rounds) { // round `rounds` repeats round `rounds - 1`'s instant
                    long next = clock.millis() + 5_000;
                    int n;
                    long expiry;
                    synchronized (fetchLog) {
                        n = fetchLog.size();
                        expiry = fetchLog.get(n - 1)[1];
                    }
                    // After every third fetch, walk through the advisory window in 5 s steps;
                    // after the others, jump from just before it into the mandatory window
                    // (30 s before expiry) or past expiry (10 s after).
                    if (n % 3 != 0 && n != jumpedAfterFetch && next >= expiry - refreshWindow - 60_000) {
                        jumpedAfterFetch = n;
                        next = n % 3 == 1 ? expiry - 30_000 : expiry + 10_000;
                        jumps.add(n % 3 == 1 ? "mandatory" : "expired");
                    }
                    clock.ms.set(next);
                }
                roundsLeft.decrementAndGet();
                go.await(60, TimeUnit.SECONDS);
                done.await(60, TimeUnit.SECONDS);
            }
            roundsLeft.set(-1);
            go.await(60, TimeUnit.SECONDS);
            for (Thread th : workers) {
                th.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        assertEquals(0, errors.get(), "errors");
        assertEquals((rounds + 1) * threads * 2, signatures.get(), "signatures");
        assertEquals(0, expiredUses.get(), "signatures made with expired credentials");
        assertEquals(1, maxInFlight.get(), "fetches never overlap");
        // One refresh per rotation: every fetch was used by signatures (none wasted) ...
        assertEquals(fetches.get(), used.size(), "fetches " + fetches.get() + ", credentials used " + used.size());
        // ... and none came before the credentials it replaced were due for refresh.
        for (int i = 1; i < fetchLog.size(); i++) {
            long at = fetchLog.get(i)[0];
            long previousExpiry = fetchLog.get(i - 1)[1];
            assertTrue(at >= previousExpiry - refreshWindow,
                    "fetch " + (i + 1) + " at " + Instant.ofEpochMilli(at) + " came before the refresh window of "
                            + "credentials expiring at " + Instant.ofEpochMilli(previousExpiry));
        }
        // Each path was taken several times: advisory window, mandatory window, past expiry.
        assertTrue(fetches.get() >= 12, "rotations: " + fetches.get());
        assertTrue(jumps.stream().filter("mandatory"::equals).count() >= 3, jumps.toString());
        assertTrue(jumps.stream().filter("expired"::equals).count() >= 3, jumps.toString());
    }
}
