package dev.sigfresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DefaultCredentialsChain with injected system properties and environment: the
 * {@code aws.accessKeyId} / {@code aws.secretKey} / {@code aws.sessionToken} properties win, as in
 * the AWS SDK for Java; then environment variables, the shared files and the container
 * endpoint. The real home directory and IMDS are never consulted (the files point into a
 * temporary directory, IMDS is disabled).
 */
class DefaultCredentialsChainTest {
    @TempDir
    Path dir;
    Map<String, String> env;

    @BeforeEach
    void isolate() {
        env = new HashMap<>();
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
    }

    Credentials fetch(Properties props) {
        return DefaultCredentialsChain.builder().environment(env).systemProperties(props).build().fetchCredentials();
    }

    @Test
    void systemPropertiesWinOverTheEnvironment() {
        env.put("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
        env.put("AWS_SECRET_ACCESS_KEY", "env-secret");
        Properties p = new Properties();
        p.setProperty("aws.accessKeyId", "AKIDFROMPROPS");
        p.setProperty("aws.secretKey", "props-secret");
        p.setProperty("aws.sessionToken", "props-token");
        try (Credentials c = fetch(p)) {
            assertEquals("AKIDFROMPROPS", c.accessKeyId());
            assertEquals("props-secret", c.exposeSecretAccessKey());
            assertEquals("props-token", c.exposeSessionToken().get());
        }
        // aws.secretAccessKey is accepted too (SDK v2's name); no token property → no token.
        Properties v2 = new Properties();
        v2.setProperty("aws.accessKeyId", "AKIDFROMPROPS2");
        v2.setProperty("aws.secretAccessKey", "props-secret-2");
        try (Credentials c = fetch(v2)) {
            assertEquals("AKIDFROMPROPS2", c.accessKeyId());
            assertEquals("props-secret-2", c.exposeSecretAccessKey());
            assertFalse(c.hasSessionToken());
        }
    }

    @Test
    void theEnvironmentIsNextWhenThePropertiesAreIncomplete() {
        env.put("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
        env.put("AWS_SECRET_ACCESS_KEY", "env-secret");
        env.put("AWS_SESSION_TOKEN", "env-token");
        Properties onlyId = new Properties();
        onlyId.setProperty("aws.accessKeyId", "AKIDFROMPROPS");
        onlyId.setProperty("aws.secretKey", "  ");
        try (Credentials c = fetch(onlyId)) {
            assertEquals("AKIDFROMENV", c.accessKeyId());
            assertEquals("env-token", c.exposeSessionToken().get());
            assertEquals(Credentials.Source.ENVIRONMENT, c.source());
        }
    }

    @Test
    void thenTheSharedCredentialsFile() throws IOException {
        Files.write(dir.resolve("credentials"), ("[default]\naws_access_key_id = AKIDFROMFILE\n"
                + "aws_secret_access_key = file-secret\n[other]\naws_access_key_id = AKIDOTHER\n"
                + "aws_secret_access_key = other-secret\n").getBytes(StandardCharsets.UTF_8));
        try (Credentials c = fetch(new Properties())) {
            assertEquals("AKIDFROMFILE", c.accessKeyId());
            assertEquals(Credentials.Source.PROFILE, c.source());
        }
        env.put("AWS_PROFILE", "other");
        try (Credentials c = fetch(new Properties())) {
            assertEquals("AKIDOTHER", c.accessKeyId());
        }
    }

    @Test
    void thenTheContainerEndpoint() throws IOException {
        try (FakeContainerEndpoint endpoint = new FakeContainerEndpoint(ContainerSourceTest.TOKEN,
                Instant.parse("2030-01-01T00:00:00Z"))) {
            env.putAll(ContainerSourceTest.env(endpoint));
            try (Credentials c = fetch(new Properties())) {
                assertEquals(FakeContainerEndpoint.accessKeyId(1), c.accessKeyId());
                assertEquals(Credentials.Source.CONTAINER_ENDPOINT, c.source());
            }
        }
    }

    @Test
    void nothingConfiguredIsCredentialsUnavailable() {
        CredentialsUnavailableException e = assertThrows(CredentialsUnavailableException.class,
                () -> fetch(new Properties()));
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void theJvmsSystemPropertiesAreTheDefault() {
        String before = System.getProperty("aws.accessKeyId");
        System.setProperty("aws.accessKeyId", "AKIDJVMPROPERTY");
        System.setProperty("aws.secretKey", "jvm-secret");
        try (Credentials c = DefaultCredentialsChain.builder().environment(env).build().fetchCredentials()) {
            assertEquals("AKIDJVMPROPERTY", c.accessKeyId());
        } finally {
            if (before == null) {
                System.clearProperty("aws.accessKeyId");
            } else {
                System.setProperty("aws.accessKeyId", before);
            }
            System.clearProperty("aws.secretKey");
        }
    }
}
