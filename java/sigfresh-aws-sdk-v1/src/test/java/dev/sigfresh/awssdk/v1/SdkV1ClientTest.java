package dev.sigfresh.awssdk.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicSessionCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.securitytoken.AWSSecurityTokenService;
import com.amazonaws.services.securitytoken.AWSSecurityTokenServiceClientBuilder;
import com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException;
import com.amazonaws.services.securitytoken.model.GetCallerIdentityRequest;
import com.amazonaws.services.securitytoken.model.GetCallerIdentityResult;
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

/**
 * A real AWS SDK v1 client (STS) with {@link SigfreshAwsCredentialsProvider} over IMDS
 * credentials (the emulator when installed), against a local endpoint that verifies every
 * signature with sigfresh's verifier, across credential rotations on a fake clock.
 */
class SdkV1ClientTest {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration LIFETIME = Duration.ofHours(1);
    static final Duration ROTATE_BEFORE = Duration.ofMinutes(15);

    private static AWSSecurityTokenService sts(VerifyingServer endpoint, AWSCredentialsProvider credentials) {
        return AWSSecurityTokenServiceClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint.uri().toString(), "us-east-1"))
                .withClientConfiguration(new ClientConfiguration().withMaxErrorRetry(0))
                .withCredentials(credentials)
                .build();
    }

    private static InstanceMetadataSource source(ImdsBackend imds, FakeClock clock) {
        return InstanceMetadataSource.builder()
                .environment(Collections.singletonMap("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()))
                .clock(clock)
                .build();
    }

    @Test
    void stsClientNeverSendsExpiredCredentialsAcrossRotations() throws Exception {
        FakeClock clock = new FakeClock(START);
        int generation = 1;
        IssuedCredentials current = IssuedCredentials.generation(1, START.plus(LIFETIME));
        try (ImdsBackend imds = ImdsBackend.start(current);
                VerifyingServer endpoint = new VerifyingServer(clock, body -> VerifyingServer.getCallerIdentityXml());
                InstanceMetadataSource source = source(imds, clock);
                CredentialCache cache = CredentialCache.builder(source).clock(clock).jitter(() -> 0)
                        .backgroundExecutor(Runnable::run).build()) {
            endpoint.accept(current);
            SigfreshAwsCredentialsProvider provider = SigfreshAwsCredentialsProvider.create(cache);
            AtomicInteger calls = new AtomicInteger();
            AWSCredentialsProvider counting = new AWSCredentialsProvider() {
                @Override
                public AWSCredentials getCredentials() {
                    calls.incrementAndGet();
                    return provider.getCredentials();
                }

                @Override
                public void refresh() {
                    provider.refresh();
                }
            };
            AWSSecurityTokenService sts = sts(endpoint, counting);
            try {
                int requests = 0;
                while (clock.instant().isBefore(START.plus(Duration.ofHours(6)))) {
                    if (!clock.instant().isBefore(current.expiration.minus(ROTATE_BEFORE))) {
                        generation++;
                        current = IssuedCredentials.generation(generation, clock.instant().plus(LIFETIME));
                        endpoint.accept(current);
                        imds.rotate(current);
                    }
                    GetCallerIdentityResult r = sts.getCallerIdentity(new GetCallerIdentityRequest());
                    assertEquals("123456789012", r.getAccount());
                    requests++;
                    clock.advance(Duration.ofMinutes(7));
                }
                List<VerifyingServer.Seen> seen = endpoint.seen();
                assertEquals(requests, seen.size());
                Set<String> keys = new LinkedHashSet<>();
                for (VerifyingServer.Seen s : seen) {
                    assertNull(s.failure, s.toString());
                    assertTrue(s.fakeNow.isBefore(s.expiration), s.toString());
                    keys.add(s.accessKeyId);
                }
                assertTrue(generation >= 6, "rotations: " + generation);
                assertEquals(generation, keys.size(), "keys used: " + keys);
                assertTrue(calls.get() >= requests, "getCredentials calls: " + calls.get());
                if (imds.credentialFetches() >= 0) {
                    assertEquals(generation, imds.credentialFetches(), imds.name());
                }
            } finally {
                sts.shutdown();
            }
        }
    }

    /** refresh() drops the cached credentials: the next call fetches the rotated ones at once. */
    @Test
    void refreshInvalidates() throws Exception {
        FakeClock clock = new FakeClock(START);
        IssuedCredentials first = IssuedCredentials.generation(1, START.plus(LIFETIME));
        IssuedCredentials second = IssuedCredentials.generation(2, START.plus(LIFETIME).plus(LIFETIME));
        try (ImdsBackend imds = ImdsBackend.start(first);
                InstanceMetadataSource source = source(imds, clock);
                SigfreshAwsCredentialsProvider provider = SigfreshAwsCredentialsProvider.create(
                        CredentialCache.builder(source).clock(clock).backgroundExecutor(Runnable::run).build())) {
            try {
                BasicSessionCredentials a = assertInstanceOf(BasicSessionCredentials.class, provider.getCredentials());
                assertEquals(first.accessKeyId, a.getAWSAccessKeyId());
                assertEquals(first.secretAccessKey, a.getAWSSecretKey());
                assertEquals(first.sessionToken, a.getSessionToken());
                imds.rotate(second);
                clock.advance(Duration.ofMinutes(1));
                // Still valid for 59 minutes: the cache keeps serving them ...
                assertEquals(first.accessKeyId, provider.getCredentials().getAWSAccessKeyId());
                // ... until the application says AWS rejected them.
                provider.refresh();
                assertEquals(second.accessKeyId, provider.getCredentials().getAWSAccessKeyId());
                if (imds.credentialFetches() >= 0) {
                    assertEquals(2, imds.credentialFetches());
                }
            } finally {
                provider.cache().close();
            }
        }
    }

    /** The control: credentials captured once are caught by the endpoint. */
    @Test
    void capturedOnceIsRejectedAsExpired() throws Exception {
        FakeClock clock = new FakeClock(START);
        IssuedCredentials c = IssuedCredentials.generation(7, START.plus(LIFETIME));
        try (VerifyingServer endpoint = new VerifyingServer(clock, body -> VerifyingServer.getCallerIdentityXml())) {
            endpoint.accept(c);
            AWSSecurityTokenService sts = sts(endpoint, new AWSStaticCredentialsProvider(
                    new BasicSessionCredentials(c.accessKeyId, c.secretAccessKey, c.sessionToken)));
            try {
                sts.getCallerIdentity(new GetCallerIdentityRequest());
                clock.advance(LIFETIME);
                AWSSecurityTokenServiceException e = assertThrows(AWSSecurityTokenServiceException.class,
                        () -> sts.getCallerIdentity(new GetCallerIdentityRequest()));
                assertEquals("ExpiredToken", e.getErrorCode());
                assertEquals(403, e.getStatusCode());
            } finally {
                sts.shutdown();
            }
        }
    }
}
