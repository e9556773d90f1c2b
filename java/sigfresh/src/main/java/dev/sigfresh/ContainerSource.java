package dev.sigfresh;

import dev.sigfresh.internal.Bindings;

/**
 * Credentials from a container credentials endpoint (ECS task roles, EKS Pod Identity), driven
 * by the core's state machine: the core plans every request, header, retry
 * and wait; this class performs them with an {@link HttpTransport}. Configured like the AWS SDKs
 * from {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} or {@code _FULL_URI} and
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]}.
 *
 * <p>Use it as the provider of a {@link CredentialCache}. Thread-safe (fetches are serialized).
 * Using a closed source throws {@link IllegalStateException}.
 */
public final class ContainerSource implements CredentialsProvider, AutoCloseable {
    private final SourceDriver driver;

    private ContainerSource(Builder b) {
        long h = Bindings.api().sourceNewContainer(Credentials.flatten(b.environment));
        this.driver = new SourceDriver(this, h, b.transport, b.clock, "ContainerSource");
    }

    /**
     * A source configured from the process environment with the default transport.
     *
     * @return the source
     * @throws SigfreshException {@code SIGFRESH_ABSENT} when neither URI variable is set,
     *     {@code SIGFRESH_SOURCE_CONFIG} when the environment says so
     */
    public static ContainerSource create() {
        return builder().build();
    }

    /**
     * Starts a source.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Credentials fetchCredentials() {
        return driver.fetch();
    }

    /** Releases the native state machine. Idempotent. */
    @Override
    public void close() {
        driver.close();
    }

    @Override
    public String toString() {
        return "ContainerSource";
    }

    /** Builds an {@link ContainerSource}. Not thread-safe. */
    public static final class Builder extends SourceBuilder<Builder> {
        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the source.
         *
         * @return the source
         */
        public ContainerSource build() {
            return new ContainerSource(this);
        }
    }
}
