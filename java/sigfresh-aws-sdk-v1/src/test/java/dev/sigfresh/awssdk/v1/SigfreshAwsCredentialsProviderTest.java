package dev.sigfresh.awssdk.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.SdkClientException;
import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.BasicAWSCredentials;
import dev.sigfresh.CredentialCache;
import dev.sigfresh.Credentials;
import dev.sigfresh.CredentialsUnavailableException;
import dev.sigfresh.FailureKind;
import dev.sigfresh.awssdk.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SigfreshAwsCredentialsProviderTest {

    @Test
    void longTermCredentialsAndRefresh() {
        AtomicInteger fetches = new AtomicInteger();
        FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (CredentialCache cache = CredentialCache.builder(() -> {
            fetches.incrementAndGet();
            return Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        }).clock(clock).build()) {
            SigfreshAwsCredentialsProvider p = SigfreshAwsCredentialsProvider.create(cache);
            AWSCredentials c = p.getCredentials();
            assertInstanceOf(BasicAWSCredentials.class, c);
            assertEquals("AKIDEXAMPLE", c.getAWSAccessKeyId());
            assertEquals("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", c.getAWSSecretKey());
            p.getCredentials();
            assertEquals(1, fetches.get());
            // The cache's minimum refresh interval (30 s by default) still applies after
            // refresh(): a call sooner than that waits for it (not exercised here).
            clock.advance(Duration.ofSeconds(31));
            p.refresh();
            p.getCredentials();
            assertEquals(2, fetches.get(), "refresh() makes the next call fetch");
            assertFalse(p.toString().contains("wJalrXUtnFEMI"));
        }
    }

    @Test
    void unavailableCredentials() {
        try (SigfreshAwsCredentialsProvider p = SigfreshAwsCredentialsProvider.create(() -> {
            throw new CredentialsUnavailableException(FailureKind.NON_RETRYABLE, null, "no role attached");
        })) {
            SdkClientException e = assertThrows(SdkClientException.class, p::getCredentials);
            assertInstanceOf(CredentialsUnavailableException.class, e.getCause());
            assertTrue(e.getMessage().contains("no role attached"), e.getMessage());
            p.refresh(); // nothing cached: a no-op, not an exception
        }
    }
}
