package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The default credentials chain, as the AWS SDK for Java resolves it: the
 * {@code aws.accessKeyId} / {@code aws.secretKey} (or {@code aws.secretAccessKey}) /
 * {@code aws.sessionToken} system properties first, then the core's chain: environment
 * variables, web identity, the shared credentials and config files ({@code AWS_PROFILE}),
 * {@code credential_process}, the container endpoint and IMDS.
 *
 * <p>Each fetch re-reads the system properties, the environment and the two files, and plans the
 * chain afresh. Thread-safe (fetches are serialized).
 */
public final class DefaultCredentialsChain implements CredentialsProvider {
    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final HttpTransport transport;
    private final Clock clock;

    private DefaultCredentialsChain(Builder b) {
        this.environment = b.environment;
        this.systemProperties = b.systemProperties;
        this.transport = b.transport;
        this.clock = b.clock;
    }

    /**
     * The chain over this process's system properties, environment and home directory.
     *
     * @return the chain
     */
    public static DefaultCredentialsChain create() {
        return builder().build();
    }

    /**
     * Starts a chain.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized Credentials fetchCredentials() {
        String akid = systemProperties.getProperty("aws.accessKeyId");
        String secret = systemProperties.getProperty("aws.secretKey",
                systemProperties.getProperty("aws.secretAccessKey"));
        if (akid != null && !akid.trim().isEmpty() && secret != null && !secret.trim().isEmpty()) {
            String token = systemProperties.getProperty("aws.sessionToken");
            return Credentials.of(akid.trim(), secret.trim(),
                    token == null || token.trim().isEmpty() ? null : token.trim(), null);
        }
        String credentialsText = read(file("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
        String configText = read(file("AWS_CONFIG_FILE", "config"));
        long h = Bindings.api().sourceNewChain(Credentials.flatten(environment), credentialsText, configText);
        try (SourceDriver d = new SourceDriver(null, h, transport, clock, "DefaultCredentialsChain")) {
            return d.fetch();
        }
    }

    private Path file(String variable, String name) {
        String p = environment.get(variable);
        if (p != null && !p.isEmpty()) {
            return Paths.get(p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p);
        }
        return Paths.get(System.getProperty("user.home"), ".aws", name);
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CredentialsUnavailableException(FailureKind.NON_RETRYABLE, null,
                    "cannot read " + p + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "DefaultCredentialsChain";
    }

    /** Builds a {@link DefaultCredentialsChain}. Not thread-safe. */
    public static final class Builder extends SourceBuilder<Builder> {
        private Properties systemProperties = System.getProperties();

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * The system properties to read {@code aws.*} from (default: {@link System#getProperties()}).
         *
         * @param properties the properties
         * @return this builder
         */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /**
         * Builds the chain.
         *
         * @return the chain
         */
        public DefaultCredentialsChain build() {
            return new DefaultCredentialsChain(this);
        }
    }
}
