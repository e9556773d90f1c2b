package dev.sigfresh;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the builders of the credential sources share ({@link InstanceMetadataSource},
 * {@link ContainerSource}, {@link DefaultCredentialsChain}): where the configuration, the HTTP
 * exchanges and the time come from. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
public abstract class SourceBuilder<B extends SourceBuilder<B>> {
    Map<String, String> environment = System.getenv();
    HttpTransport transport = HttpTransport.defaultTransport();
    Clock clock = Clock.systemUTC();

    SourceBuilder() {}

    /** This builder, as its own type. */
    abstract B self();

    /**
     * The environment variables to read the configuration from (default: the process's), e.g.
     * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} or {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}
     * pointing at a local endpoint.
     *
     * @param environment the variables
     * @return this builder
     */
    public B environment(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
        return self();
    }

    /**
     * The HTTP transport (default: {@code java.net.http.HttpClient} on JDK 11+,
     * {@code HttpURLConnection} on JDK 8).
     *
     * @param transport the transport
     * @return this builder
     */
    public B transport(HttpTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return self();
    }

    /**
     * The clock (default: the system clock in UTC; inject a fake one in tests).
     *
     * @param clock the clock
     * @return this builder
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }
}
