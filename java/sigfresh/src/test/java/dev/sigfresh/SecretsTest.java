package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets never appear in toString() or exception messages. */
class SecretsTest {
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+SECRETSECRET";
    static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE";

    @Test
    void credentialsToStringRedacts() {
        try (Credentials c = Credentials.of("AKIDEXAMPLE", SECRET, TOKEN, Instant.parse("2030-01-01T00:00:00Z"))) {
            String s = c.toString();
            assertTrue(s.contains("AKIDEXAMPLE"), s);
            assertFalse(s.contains(SECRET), s);
            assertFalse(s.contains(TOKEN), s);
        }
    }

    @Test
    void signedHeadersToStringRedacts() {
        try (Credentials c = Credentials.of("AKIDEXAMPLE", SECRET, TOKEN, null);
                Signer s = Signer.builder("us-east-1", "execute-api").build()) {
            List<Header> hs = s.sign(SigningRequest.builder("GET", "https://example.com/").build(), c, Instant.EPOCH);
            assertFalse(hs.toString().contains(TOKEN), hs.toString());
            assertTrue(hs.stream().anyMatch(h -> h.value().equals(TOKEN)), "the token is sent");
        }
    }

    @Test
    void documentErrorsNeverEchoTheSecret() {
        String[] docs = {
            "{\"Code\":\"Success\",\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"" + SECRET + "\",\"Token\":" + "\"" + TOKEN + "\"}",
            "{\"Code\":\"Success\",\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"" + SECRET + "\",\"Token\":\"" + TOKEN
                    + "\",\"Expiration\":\"not a time " + SECRET + "\"}",
            "{\"AccessKeyId\":\"AK ID\",\"SecretAccessKey\":\"" + SECRET + "\u0001\"}",
        };
        for (String d : docs) {
            SigfreshException e = assertThrows(SigfreshException.class,
                    () -> Credentials.parse(DocumentFormat.INSTANCE_METADATA, d));
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        }
        SigfreshException e = assertThrows(SigfreshException.class, () -> Credentials.of("AKID", SECRET + "\n"));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void providerFailuresDoNotCarryCredentials() {
        CredentialsProvider p = () -> {
            throw new CredentialsUnavailableException(FailureKind.NON_RETRYABLE, null, "denied");
        };
        try (CredentialCache cache = CredentialCache.builder(p).backgroundExecutor(Runnable::run).build()) {
            CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class, cache::get);
            assertTrue(e.getMessage().contains("denied"), e.getMessage());
        }
    }
}
