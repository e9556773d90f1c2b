package dev.sigfresh.awssdk.v1;

import com.amazonaws.SdkClientException;
import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.auth.BasicSessionCredentials;
import dev.sigfresh.CredentialCache;
import dev.sigfresh.Credentials;
import dev.sigfresh.CredentialsProvider;
import dev.sigfresh.CredentialsUnavailableException;
import dev.sigfresh.InstanceMetadataSource;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AWSCredentialsProvider} for the AWS SDK for Java 1.x backed by a sigfresh
 * {@link CredentialCache}. Every {@link #getCredentials()} asks the cache, which refreshes before
 * expiry, so a client built with this provider cannot keep using credentials it captured once.
 * {@link #refresh()} drops the cached credentials so the next call fetches new ones (call it after
 * AWS rejected them, e.g. with {@code ExpiredToken}).
 *
 * <pre>{@code
 * SigfreshAwsCredentialsProvider credentials = SigfreshAwsCredentialsProvider.instanceMetadata();
 * AWSSecurityTokenService sts = AWSSecurityTokenServiceClientBuilder.standard()
 *         .withCredentials(credentials).build();
 * }</pre>
 *
 * <p>Temporary credentials become {@link BasicSessionCredentials}; long-term ones
 * {@link BasicAWSCredentials}. Thread-safe. {@link #close()} closes the cache only when this
 * provider created it.
 */
public final class SigfreshAwsCredentialsProvider implements AWSCredentialsProvider, AutoCloseable {
    private final CredentialCache cache;
    private final AutoCloseable owned;

    private SigfreshAwsCredentialsProvider(CredentialCache cache, AutoCloseable owned) {
        this.cache = cache;
        this.owned = owned;
    }

    /**
     * A provider over a cache the caller keeps (and closes).
     *
     * @param cache the cache
     * @return the provider
     */
    public static SigfreshAwsCredentialsProvider create(CredentialCache cache) {
        return new SigfreshAwsCredentialsProvider(Objects.requireNonNull(cache, "cache"), null);
    }

    /**
     * A provider over a new cache with the default policy that refreshes from {@code source};
     * {@link #close()} closes that cache.
     *
     * @param source where credentials come from
     * @return the provider
     */
    public static SigfreshAwsCredentialsProvider create(CredentialsProvider source) {
        CredentialCache cache = CredentialCache.builder(Objects.requireNonNull(source, "source")).build();
        return new SigfreshAwsCredentialsProvider(cache, cache);
    }

    /**
     * A provider for EC2: the instance metadata service (configured from the
     * {@code AWS_EC2_METADATA_*} environment variables) behind a new cache. {@link #close()}
     * closes both.
     *
     * @return the provider
     */
    public static SigfreshAwsCredentialsProvider instanceMetadata() {
        InstanceMetadataSource source = InstanceMetadataSource.create();
        CredentialCache cache;
        try {
            cache = CredentialCache.builder(source).build();
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return new SigfreshAwsCredentialsProvider(cache, () -> {
            try {
                cache.close();
            } finally {
                source.close();
            }
        });
    }

    /**
     * The cache's current credentials, refreshed first when the cache says so.
     *
     * @return the credentials ({@link BasicSessionCredentials} when temporary)
     * @throws SdkClientException when no usable credentials can be had (the cause is sigfresh's
     *     {@link CredentialsUnavailableException}, which says why and when the next try is)
     */
    @Override
    public AWSCredentials getCredentials() {
        try (Credentials c = cache.get()) {
            String id = c.accessKeyId();
            String secret = c.exposeSecretAccessKey();
            Optional<String> token = c.exposeSessionToken();
            return token.isPresent() ? new BasicSessionCredentials(id, secret, token.get())
                    : new BasicAWSCredentials(id, secret);
        } catch (CredentialsUnavailableException e) {
            throw new SdkClientException("sigfresh: unable to load credentials: " + e.getMessage(), e);
        }
    }

    /**
     * Drops the cached credentials, so the next {@link #getCredentials()} fetches new ones. Does
     * not fetch by itself. The cache's pacing still applies: the next fetch happens no sooner than
     * the policy's minimum refresh interval (30 s by default) after the previous one, and callers
     * wait until then; after failures, the backoff applies.
     */
    @Override
    public void refresh() {
        Credentials c;
        try {
            c = cache.get();
        } catch (CredentialsUnavailableException e) {
            return; // nothing cached to drop
        }
        try {
            cache.invalidate(c);
        } finally {
            c.close();
        }
    }

    /**
     * The cache behind this provider.
     *
     * @return the cache
     */
    public CredentialCache cache() {
        return cache;
    }

    /** Closes the cache (and source) when this provider created them; otherwise nothing. */
    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "SigfreshAwsCredentialsProvider[" + cache + "]";
    }
}
