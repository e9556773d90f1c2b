package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 16 threads sign through one CredentialCache while a fake clock crosses several credential
 * rotations; a scripted provider hands out 15-minute credentials. Asserts counts, not timing:
 * no signature made with expired credentials, one fetch per rotation (never two at once, none
 * wasted).
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
        long start = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        FakeClock clock = new FakeClock(start);
        long validity = TimeUnit.MINUTES.toMillis(15);
        Map<String, Long> expiryByKey = new ConcurrentHashMap<>();
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
                return Credentials.of(akid, "secret" + n, "token" + n, Instant.ofEpochMilli(expiry));
            } finally {
                inFlight.decrementAndGet();
            }
        };
        Set<String> used = ConcurrentHashMap.newKeySet();
        AtomicInteger expiredUses = new AtomicInteger();
        AtomicInteger signatures = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long end = start + TimeUnit.MINUTES.toMillis(65);
        try (CredentialCache cache = CredentialCache.builder(provider).clock(clock).jitter(() -> 0L)
                        .policy(RefreshPolicy.builder().leaseTimeout(java.time.Duration.ofMinutes(10)).build())
                        .backgroundExecutor(Runnable::run).build();
                Signer signer = Signer.builder("us-east-1", "execute-api").clock(clock).build()) {
            SigningRequest req = SigningRequest.builder("GET", "https://abc.execute-api.us-east-1.amazonaws.com/prod/x")
                    .build();
            CountDownLatch done = new CountDownLatch(16);
            for (int t = 0; t < 16; t++) {
                Thread th = new Thread(() -> {
                    try {
                        while (clock.millis() < end) {
                            List<Header> hs = signer.sign(req, cache);
                            String auth = hs.get(hs.size() - 1).value();
                            String akid = auth.substring(auth.indexOf("Credential=") + 11, auth.indexOf('/'));
                            String date = hs.get(0).value();
                            long signedAt = Bindings.api().timeParse(NativeApi.TIME_AMZ_DATE, date);
                            used.add(akid);
                            if (signedAt >= expiryByKey.get(akid)) {
                                expiredUses.incrementAndGet();
                            }
                            signatures.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        e.printStackTrace();
                        errors.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
                th.start();
            }
            while (clock.millis() < end) {
                Thread.sleep(1);
                clock.ms.addAndGet(2_000);
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "the signing threads finished");
        }
        assertEquals(0, errors.get(), "errors");
        assertEquals(0, expiredUses.get(), "signatures made with expired credentials");
        assertTrue(signatures.get() > 1000, "signatures: " + signatures.get());
        assertEquals(1, maxInFlight.get(), "fetches never overlap");
        // Every fetch was a rotation that signatures used; only a fetch in the run's last instant
        // may go unused (the threads stop when the clock reaches the end).
        assertTrue(fetches.get() - used.size() <= 1, "fetches " + fetches.get() + ", rotations used " + used.size());
        // 65 minutes of 15-minute credentials: at least 5 rotations.
        assertTrue(used.size() >= 5, "rotations: " + used.size());
    }
}
