package dev.sigfresh.awssdk.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.CredentialCache;
import dev.sigfresh.InstanceMetadataSource;
import dev.sigfresh.awssdk.testing.FakeClock;
import dev.sigfresh.awssdk.testing.ImdsBackend;
import dev.sigfresh.awssdk.testing.IssuedCredentials;
import dev.sigfresh.awssdk.testing.VerifyingServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * A real AWS SDK v2 client (STS, URL-connection HTTP client) with {@link SigfreshCredentialsProvider}
 * over IMDS credentials (the emulator when installed), against a local endpoint that verifies
 * every signature with sigfresh's verifier. The cache runs on a fake clock that crosses several
 * credential rotations; the endpoint judges expiry by the same clock.
 */
class SdkV2ClientTest {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration LIFETIME = Duration.ofHours(1);
    /** EC2 makes new role credentials available well before the old ones expire. */
    static final Duration ROTATE_BEFORE = Duration.ofMinutes(15);

    @Test
    void stsClientNeverSendsExpiredCredentialsAcrossRotations() throws Exception {
        FakeClock clock = new FakeClock(START);
        int[] generation = {1};
        IssuedCredentials first = IssuedCredentials.generation(1, START.plus(LIFETIME));
        IssuedCredentials[] current = {first};
        try (ImdsBackend imds = ImdsBackend.start(first);
                VerifyingServer endpoint = new VerifyingServer(clock, body -> VerifyingServer.getCallerIdentityXml());
                InstanceMetadataSource source = InstanceMetadataSource.builder()
                        .environment(Collections.singletonMap("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()))
                        .clock(clock)
                        .build();
                CredentialCache cache = CredentialCache.builder(source)
                        .clock(clock)
                        .jitter(() -> 0)
                        .backgroundExecutor(Runnable::run)
                        .build();
                SigfreshCredentialsProvider provider = SigfreshCredentialsProvider.create(cache)) {
            endpoint.accept(first);
            AtomicInteger resolves = new AtomicInteger();
            AwsCredentialsProvider counting = () -> {
                resolves.incrementAndGet();
                return provider.resolveCredentials();
            };
            try (StsClient sts = StsClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(endpoint.uri())
                    .credentialsProvider(counting)
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                    .build()) {
                int requests = 0;
                // Seven fake minutes per request over six hours: every phase of a credential's
                // life (fresh, refresh window, mandatory window, past expiry) is hit.
                while (clock.instant().isBefore(START.plus(Duration.ofHours(6)))) {
                    if (!clock.instant().isBefore(current[0].expiration.minus(ROTATE_BEFORE))) {
                        generation[0]++;
                        current[0] = IssuedCredentials.generation(generation[0], clock.instant().plus(LIFETIME));
                        endpoint.accept(current[0]);
                        imds.rotate(current[0]);
                    }
                    GetCallerIdentityResponse r = sts.getCallerIdentity();
                    assertEquals("123456789012", r.account());
                    requests++;
                    clock.advance(Duration.ofMinutes(7));
                }
                List<VerifyingServer.Seen> seen = endpoint.seen();
                assertEquals(requests, seen.size());
                Set<String> keys = new LinkedHashSet<>();
                for (VerifyingServer.Seen s : seen) {
                    assertEquals(null, s.failure, "request " + s);
                    assertTrue(s.fakeNow.isBefore(s.expiration), s.toString());
                    keys.add(s.accessKeyId);
                }
                // Every generation after the first was used (rotation is picked up), and the
                // SDK asked the provider on every request: nothing captured once.
                assertTrue(generation[0] >= 6, "rotations: " + generation[0]);
                assertEquals(generation[0], keys.size(), "keys used: " + keys);
                assertEquals(requests, resolves.get());
                if (imds.credentialFetches() >= 0) {
                    // One IMDS fetch per generation (the first fill plus one refresh per rotation).
                    assertEquals(generation[0], imds.credentialFetches(), imds.name());
                }
            }
        }
    }

    /** The control: credentials captured once (the bug this module fixes) are caught by the endpoint. */
    @Test
    void capturedOnceIsRejectedAsExpired() throws Exception {
        FakeClock clock = new FakeClock(START);
        IssuedCredentials c = IssuedCredentials.generation(7, START.plus(LIFETIME));
        try (VerifyingServer endpoint = new VerifyingServer(clock, body -> VerifyingServer.getCallerIdentityXml());
                StsClient sts = StsClient.builder()
                        .region(Region.US_EAST_1)
                        .endpointOverride(endpoint.uri())
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsSessionCredentials.create(c.accessKeyId, c.secretAccessKey, c.sessionToken)))
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                        .build()) {
            endpoint.accept(c);
            sts.getCallerIdentity();
            clock.advance(LIFETIME);
            StsException e = assertThrows(StsException.class, sts::getCallerIdentity);
            assertEquals("ExpiredToken", e.awsErrorDetails().errorCode());
            assertEquals(403, e.statusCode());
        }
    }

    /** The other control: the endpoint really checks signatures (a wrong secret is refused). */
    @Test
    void wrongSecretIsRejected() throws Exception {
        FakeClock clock = new FakeClock(START);
        IssuedCredentials c = IssuedCredentials.generation(8, START.plus(LIFETIME));
        try (VerifyingServer endpoint = new VerifyingServer(clock, body -> VerifyingServer.getCallerIdentityXml());
                StsClient sts = StsClient.builder()
                        .region(Region.US_EAST_1)
                        .endpointOverride(endpoint.uri())
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsSessionCredentials.create(c.accessKeyId, c.secretAccessKey + "x", c.sessionToken)))
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                        .build()) {
            endpoint.accept(c);
            StsException e = assertThrows(StsException.class, sts::getCallerIdentity);
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
            assertTrue(endpoint.seen().get(0).failure.contains("SIGNATURE_MISMATCH"), endpoint.seen().get(0).failure);
        }
    }

    @Test
    void resolvedCredentialsCarryTokenAndExpiration() throws Exception {
        FakeClock clock = new FakeClock(START);
        IssuedCredentials c = IssuedCredentials.generation(42, START.plus(LIFETIME));
        try (ImdsBackend imds = ImdsBackend.start(c);
                InstanceMetadataSource source = InstanceMetadataSource.builder()
                        .environment(Collections.singletonMap("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()))
                        .clock(clock)
                        .build();
                SigfreshCredentialsProvider provider = SigfreshCredentialsProvider.create(
                        CredentialCache.builder(source).clock(clock).build())) {
            AwsCredentials r = provider.resolveCredentials();
            AwsSessionCredentials s = assertInstanceOf(AwsSessionCredentials.class, r);
            assertEquals(c.accessKeyId, s.accessKeyId());
            assertEquals(c.secretAccessKey, s.secretAccessKey());
            assertEquals(c.sessionToken, s.sessionToken());
            assertEquals(c.expiration, s.expirationTime().orElseThrow(AssertionError::new));
            assertTrue(provider.toString().indexOf(c.secretAccessKey) < 0);
            provider.cache().close();
        }
    }
}
