package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Signing through a cache: the one-crossing hot path (NativeApi.signWithCache) gives what the
 * full path gives, and steps aside whenever the cache's credentials are not FRESH;
 * CredentialCache.invalidateCurrent drops the cached credentials without fetching.
 */
class CacheSigningTest {
    static final Instant T = Instant.parse("2025-03-01T12:00:00Z");
    static final SigningRequest REQ = SigningRequest.builder("POST", "https://abc.execute-api.us-east-1.amazonaws.com/prod/x")
            .header("content-type", "application/json").body("{}").build();

    @Test
    void theHotPathSignsLikeTheFullPath() {
        ConcurrencyTest.FakeClock clock = new ConcurrencyTest.FakeClock(T.toEpochMilli());
        AtomicInteger fetches = new AtomicInteger();
        CredentialsProvider provider = () -> {
            int n = fetches.incrementAndGet();
            return Credentials.of("AKIDCACHE" + n, "secret" + n, "token" + n, clock.instant().plus(Duration.ofMinutes(15)));
        };
        try (CredentialCache cache = CredentialCache.builder(provider).clock(clock).jitter(() -> 0L)
                        .backgroundExecutor(Runnable::run).build();
                Signer signer = Signer.builder("us-east-1", "execute-api").clock(clock).build()) {
            // Nothing cached: the full path fetches.
            List<Header> first = signer.sign(REQ, cache);
            assertEquals(1, fetches.get());
            try (Credentials c = Credentials.of("AKIDCACHE1", "secret1", "token1", null)) {
                assertEquals(signer.sign(REQ, c, T), first);
                // FRESH: the hot path, the same headers as signing with the credentials.
                clock.ms.addAndGet(60_000);
                assertEquals(signer.sign(REQ, c, clock.instant()), signer.sign(REQ, cache));
            }
            assertEquals(1, fetches.get());
            // Inside the refresh window (5 minutes before expiry): the full path hands out the
            // refresh (run inline here) and signs with the credentials still cached.
            clock.ms.set(T.plus(Duration.ofMinutes(11)).toEpochMilli());
            List<Header> advised = signer.sign(REQ, cache);
            assertTrue(advised.get(advised.size() - 1).value().contains("Credential=AKIDCACHE1/"), advised.toString());
            assertEquals(2, fetches.get());
            List<Header> next = signer.sign(REQ, cache);
            assertTrue(next.get(next.size() - 1).value().contains("Credential=AKIDCACHE2/"), next.toString());
            assertEquals(2, fetches.get());
        }
    }

    @Test
    void theSeamReturnsNullUnlessFresh() {
        NativeApi api = Bindings.api();
        long[] settings = new long[NativeApi.SETTINGS_LENGTH];
        Arrays.fill(settings, -1);
        settings[0] = 0;
        long[] policy = new long[NativeApi.POLICY_LENGTH];
        Arrays.fill(policy, -1);
        long signer = api.signerNew("us-east-1", "service", settings, null);
        long cache = api.cacheNew(policy);
        long t = T.toEpochMilli();
        long creds = api.credentialsNew("AKIDSEAM", "secret", null, t + 15 * 60_000, null, 0);
        String[] host = {"host", "example.amazonaws.com"};
        try {
            assertNull(api.signWithCache(signer, cache, "GET", "/", host, 0, null, t), "nothing cached");
            api.cacheInstall(cache, creds, t, 0);
            String[] fresh = api.signWithCache(signer, cache, "GET", "/", host, 0, null, t);
            assertNotNull(fresh);
            assertEquals(Arrays.asList(api.sign(signer, "GET", "/", host, 0, null, creds, t)), Arrays.asList(fresh));
            // Text that cannot be packed (an unpaired surrogate) takes the per-string path: same rule.
            assertEquals(2, assertThrows(SigfreshException.class,
                    () -> api.signWithCache(signer, cache, "GET", "/\uD800", host, 0, null, t)).code());
            assertNull(api.signWithCache(signer, cache, "GET", "/", host, 0, null, t + 11 * 60_000), "refresh advised");
            assertNull(api.signWithCache(signer, cache, "GET", "/", host, 0, null, t + 16 * 60_000), "expired");
            assertEquals(1, assertThrows(SigfreshException.class,
                    () -> api.signWithCache(0, cache, "GET", "/", host, 0, null, t)).code());
            SigfreshException e = assertThrows(SigfreshException.class,
                    () -> api.signWithCache(signer, 0, "GET", "/", host, 0, null, t));
            assertEquals("`cache` is null", e.detail());
        } finally {
            api.credentialsFree(creds);
            api.cacheFree(cache);
            api.signerFree(signer);
        }
    }

    @Test
    void invalidateCurrentDropsWithoutFetching() {
        ConcurrencyTest.FakeClock clock = new ConcurrencyTest.FakeClock(T.toEpochMilli());
        AtomicInteger fetches = new AtomicInteger();
        try (CredentialCache cache = CredentialCache.builder(() -> {
                    int n = fetches.incrementAndGet();
                    return Credentials.of("AKIDINV" + n, "secret", null, clock.instant().plus(Duration.ofHours(1)));
                }).clock(clock).build()) {
            assertFalse(cache.invalidateCurrent(), "nothing cached");
            assertEquals(0, fetches.get());
            try (Credentials c = cache.get()) {
                assertEquals("AKIDINV1", c.accessKeyId());
            }
            assertTrue(cache.invalidateCurrent());
            assertFalse(cache.invalidateCurrent(), "already dropped");
            assertEquals(1, fetches.get(), "no fetch");
            clock.ms.addAndGet(Duration.ofMinutes(1).toMillis()); // past the minimum refresh interval
            try (Credentials c = cache.get()) {
                assertEquals("AKIDINV2", c.accessKeyId());
            }
        }
    }
}
