package dev.sigfresh;

import dev.sigfresh.internal.Bindings;

/**
 * Credentials from the EC2 instance metadata service (IMDSv2 with the token, IMDSv1 fallback as
 * configured), driven by the core's state machine: the core plans every request, header, retry
 * and wait; this class performs them with an {@link HttpTransport}. Configured like the AWS SDKs
 * from {@code AWS_EC2_METADATA_*} environment variables (endpoint, endpoint mode, v1 fallback,
 * disabled).
 *
 * <p>Use it as the provider of a {@link CredentialCache}. Thread-safe (fetches are serialized).
 * Using a closed source throws {@link IllegalStateException}.
 */
public final class InstanceMetadataSource implements CredentialsProvider, AutoCloseable {
    private final SourceDriver driver;

    private InstanceMetadataSource(Builder b) {
        long h = Bindings.api().sourceNewImds(Credentials.flatten(b.environment), 0, null);
        this.driver = new SourceDriver(this, h, b.transport, b.clock, "InstanceMetadataSource");
    }

    /**
     * A source configured from the process environment with the default transport.
     *
     * @return the source
     * @throws SigfreshException {@code SIGFRESH_SOURCE_IMDS_DISABLED} or
     *     {@code SIGFRESH_SOURCE_CONFIG} when the environment says so
     */
    public static InstanceMetadataSource create() {
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
        return "InstanceMetadataSource";
    }

    /** Builds an {@link InstanceMetadataSource}. Not thread-safe. */
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
        public InstanceMetadataSource build() {
            return new InstanceMetadataSource(this);
        }
    }
}
