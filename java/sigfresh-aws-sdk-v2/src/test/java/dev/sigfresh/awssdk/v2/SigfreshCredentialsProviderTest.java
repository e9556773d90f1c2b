package dev.sigfresh.awssdk.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigfresh.Credentials;
import dev.sigfresh.CredentialsUnavailableException;
import dev.sigfresh.FailureKind;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class SigfreshCredentialsProviderTest {

    @Test
    void longTermCredentialsBecomeBasicCredentials() {
        AtomicInteger fetches = new AtomicInteger();
        try (SigfreshCredentialsProvider p = SigfreshCredentialsProvider.create(() -> {
            fetches.incrementAndGet();
            return Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        })) {
            AwsCredentials c = p.resolveCredentials();
            AwsBasicCredentials b = assertInstanceOf(AwsBasicCredentials.class, c);
            assertEquals("AKIDEXAMPLE", b.accessKeyId());
            assertEquals("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b.secretAccessKey());
            p.resolveCredentials();
            p.resolveCredentials();
            assertEquals(1, fetches.get(), "the cache fetches once, every call goes through it");
            assertFalse(p.toString().contains("wJalrXUtnFEMI"));
        }
    }

    @Test
    void unavailableCredentialsBecomeSdkClientException() {
        try (SigfreshCredentialsProvider p = SigfreshCredentialsProvider.create(() -> {
            throw new CredentialsUnavailableException(FailureKind.NON_RETRYABLE, null, "no role attached");
        })) {
            SdkClientException e = assertThrows(SdkClientException.class, p::resolveCredentials);
            assertInstanceOf(CredentialsUnavailableException.class, e.getCause());
            assertTrue(e.getMessage().contains("no role attached"), e.getMessage());
        }
    }

    @Test
    void closeClosesAnOwnedCacheOnly() {
        SigfreshCredentialsProvider owned = SigfreshCredentialsProvider.create(
                () -> Credentials.of("AKIDEXAMPLE", "secret"));
        owned.close();
        assertThrows(IllegalStateException.class, owned::resolveCredentials);
        try (dev.sigfresh.CredentialCache cache = dev.sigfresh.CredentialCache.builder(
                () -> Credentials.of("AKIDEXAMPLE", "secret")).build()) {
            SigfreshCredentialsProvider borrowed = SigfreshCredentialsProvider.create(cache);
            borrowed.close();
            assertEquals("AKIDEXAMPLE", borrowed.resolveCredentials().accessKeyId());
        }
    }
}
