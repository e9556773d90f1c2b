package dev.sigfresh.awssdk.v2;

import dev.sigfresh.CredentialCache;
import dev.sigfresh.Credentials;
import dev.sigfresh.CredentialsProvider;
import dev.sigfresh.CredentialsUnavailableException;
import dev.sigfresh.InstanceMetadataSource;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * An {@link AwsCredentialsProvider} for the AWS SDK for Java 2.x backed by a sigfresh
 * {@link CredentialCache}. Every {@link #resolveCredentials()} asks the cache, which refreshes
 * before expiry (in the background while the credentials are still usable, on the calling thread
 * when they are not), so a client built with this provider cannot keep using credentials it
 * captured once.
 *
 * <pre>{@code
 * SigfreshCredentialsProvider credentials = SigfreshCredentialsProvider.create(
 *         CredentialCache.builder(InstanceMetadataSource.create()).build());
 * StsClient sts = StsClient.builder().credentialsProvider(credentials).build();
 * }</pre>
 *
 * <p>Temporary credentials become {@link AwsSessionCredentials} with their expiration; long-term
 * ones {@link AwsBasicCredentials}. Thread-safe. {@link #close()} closes the cache only when this
 * provider owns it ({@link #create(CredentialsProvider)}, {@link #instanceMetadata()}).
 */
public final class SigfreshCredentialsProvider implements AwsCredentialsProvider, AutoCloseable {
    private final CredentialCache cache;
    private final AutoCloseable owned;

    private SigfreshCredentialsProvider(CredentialCache cache, AutoCloseable owned) {
        this.cache = cache;
        this.owned = owned;
    }

    /**
     * A provider over a cache the caller keeps (and closes).
     *
     * @param cache the cache
     * @return the provider
     */
    public static SigfreshCredentialsProvider create(CredentialCache cache) {
        return new SigfreshCredentialsProvider(Objects.requireNonNull(cache, "cache"), null);
    }

    /**
     * A provider over a new cache with the default policy that refreshes from {@code source};
     * {@link #close()} closes that cache.
     *
     * @param source where credentials come from
     * @return the provider
     */
    public static SigfreshCredentialsProvider create(CredentialsProvider source) {
        CredentialCache cache = CredentialCache.builder(Objects.requireNonNull(source, "source")).build();
        return new SigfreshCredentialsProvider(cache, cache);
    }

    /**
     * A provider for EC2: the instance metadata service (configured from the
     * {@code AWS_EC2_METADATA_*} environment variables) behind a new cache. {@link #close()}
     * closes both.
     *
     * @return the provider
     */
    public static SigfreshCredentialsProvider instanceMetadata() {
        InstanceMetadataSource source = InstanceMetadataSource.create();
        CredentialCache cache;
        try {
            cache = CredentialCache.builder(source).build();
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return new SigfreshCredentialsProvider(cache, () -> {
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
     * @return the credentials, with the session token and expiration when temporary
     * @throws SdkClientException when no usable credentials can be had (the cause is sigfresh's
     *     {@link CredentialsUnavailableException}, which says why and when the next try is)
     */
    @Override
    public AwsCredentials resolveCredentials() {
        try (Credentials c = cache.get()) {
            return convert(c);
        } catch (CredentialsUnavailableException e) {
            throw SdkClientException.builder()
                    .message("sigfresh: unable to load credentials: " + e.getMessage())
                    .cause(e)
                    .build();
        }
    }

    static AwsCredentials convert(Credentials c) {
        String id = c.accessKeyId();
        String secret = c.exposeSecretAccessKey();
        Optional<String> token = c.exposeSessionToken();
        Optional<String> account = c.accountId();
        if (token.isPresent()) {
            AwsSessionCredentials.Builder b = AwsSessionCredentials.builder()
                    .accessKeyId(id)
                    .secretAccessKey(secret)
                    .sessionToken(token.get())
                    .providerName("sigfresh");
            c.expiry().ifPresent(b::expirationTime);
            account.ifPresent(b::accountId);
            return b.build();
        }
        AwsBasicCredentials.Builder b = AwsBasicCredentials.builder()
                .accessKeyId(id)
                .secretAccessKey(secret)
                .providerName("sigfresh");
        account.ifPresent(b::accountId);
        return b.build();
    }

    /**
     * The cache behind this provider (e.g. to {@link CredentialCache#invalidate invalidate}
     * credentials AWS rejected).
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
        return "SigfreshCredentialsProvider[" + cache + "]";
    }
}
