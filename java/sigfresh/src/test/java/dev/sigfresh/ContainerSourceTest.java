package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ContainerSource against a fake container endpoint on 127.0.0.1, configured through an
 * injected environment ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and the authorization token
 * or token file), with the default transport.
 */
class ContainerSourceTest {
    static final String TOKEN = "container-auth-token-EXAMPLE";
    static final Instant EXPIRES = Instant.parse("2030-01-01T06:00:00Z");

    static Map<String, String> env(FakeContainerEndpoint endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url());
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN);
        return env;
    }

    @Test
    void fetchesFromTheFullUriWithTheAuthorizationToken() throws IOException {
        try (FakeContainerEndpoint endpoint = new FakeContainerEndpoint(TOKEN, EXPIRES);
                ContainerSource source = ContainerSource.builder().environment(env(endpoint)).build();
                Credentials c = source.fetchCredentials()) {
            assertEquals(FakeContainerEndpoint.accessKeyId(1), c.accessKeyId());
            assertEquals(FakeContainerEndpoint.SECRET, c.exposeSecretAccessKey());
            assertEquals(FakeContainerEndpoint.sessionToken(1), c.exposeSessionToken().get());
            assertEquals(EXPIRES, c.expiry().get());
            assertEquals(Credentials.Source.CONTAINER_ENDPOINT, c.source());
            assertEquals(Collections.singletonList("GET " + FakeContainerEndpoint.PATH), endpoint.requests);
            assertEquals(Collections.singletonList(TOKEN), endpoint.authorizations);
            assertFalse(c.toString().contains(FakeContainerEndpoint.SECRET), c.toString());
        }
    }

    @Test
    void readsTheTokenFileOnEveryFetch(@TempDir Path dir) throws IOException {
        Path tokenFile = dir.resolve("token");
        Files.write(tokenFile, "old-token".getBytes(StandardCharsets.UTF_8));
        try (FakeContainerEndpoint endpoint = new FakeContainerEndpoint(TOKEN, EXPIRES)) {
            Map<String, String> env = new HashMap<>();
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url());
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
            try (ContainerSource source = ContainerSource.builder().environment(env).build()) {
                CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class,
                        source::fetchCredentials);
                assertTrue(e.getMessage().contains("ContainerSource"), e.getMessage());
                assertFalse(e.getMessage().contains("old-token"), "the token is never in a message: " + e.getMessage());
                // EKS rotates the token file: the next fetch reads it again.
                Files.write(tokenFile, TOKEN.getBytes(StandardCharsets.UTF_8));
                try (Credentials c = source.fetchCredentials()) {
                    assertEquals(FakeContainerEndpoint.accessKeyId(1), c.accessKeyId());
                }
            }
            assertEquals(Arrays.asList("old-token", TOKEN), endpoint.authorizations);
        }
    }

    @Test
    void aRefusedTokenIsAFailureNamingTheStatus() throws IOException {
        try (FakeContainerEndpoint endpoint = new FakeContainerEndpoint("another-token", EXPIRES);
                ContainerSource source = ContainerSource.builder().environment(env(endpoint)).build()) {
            CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class,
                    source::fetchCredentials);
            assertTrue(e.getMessage().contains("SIGFRESH_SOURCE_"), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        }
    }

    @Test
    void configurationErrorsAreSigfreshExceptions() {
        Map<String, String> none = Collections.emptyMap();
        SigfreshException e = assertThrows(SigfreshException.class,
                () -> ContainerSource.builder().environment(none).build());
        assertEquals("SIGFRESH_ABSENT", e.codeName());
        // Plain http is allowed only to loopback and the ECS/EKS link-local hosts.
        Map<String, String> remote = Collections.singletonMap("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://198.51.100.7/creds");
        e = assertThrows(SigfreshException.class, () -> ContainerSource.builder().environment(remote).build());
        assertEquals("SIGFRESH_SOURCE_URL_NOT_ALLOWED", e.codeName(), e.toString());
    }

    /** The source behind a cache: requests signed with the served credentials verify. */
    @Test
    void signsThroughACacheAndVerifies() throws IOException {
        try (FakeContainerEndpoint endpoint = new FakeContainerEndpoint(TOKEN, EXPIRES);
                ContainerSource source = ContainerSource.builder().environment(env(endpoint)).build();
                CredentialCache cache = CredentialCache.builder(source).build();
                Signer signer = Signer.builder("eu-west-1", "execute-api").build();
                Verifier verifier = Verifier.builder().build();
                Credentials served = Credentials.of(FakeContainerEndpoint.accessKeyId(1), FakeContainerEndpoint.SECRET,
                        FakeContainerEndpoint.sessionToken(1), null)) {
            String url = "https://abc.execute-api.eu-west-1.amazonaws.com/prod/items";
            for (int i = 0; i < 3; i++) {
                List<Header> added = signer.sign(SigningRequest.builder("GET", url).build(), cache);
                VerifiedRequest ok = verifier.verify(SigningRequest.builder("GET", url).headers(added).build(),
                        Verifier.CredentialsLookup.of(served));
                assertEquals(FakeContainerEndpoint.accessKeyId(1), ok.accessKeyId());
            }
            assertEquals(1, endpoint.served.get(), "one fetch, cached for the next signatures");
        }
    }
}
