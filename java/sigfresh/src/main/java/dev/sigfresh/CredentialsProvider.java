package dev.sigfresh;

/**
 * Fetches credentials: the source a {@link CredentialCache} refreshes from. Implementations:
 * {@link InstanceMetadataSource}, {@link ContainerSource}, {@link DefaultCredentialsChain}, or
 * your own.
 *
 * <p>The cache calls {@link #fetchCredentials()} from one thread at a time (it hands out one
 * refresh lease at a time) and closes the returned credentials when it has installed them.
 */
@FunctionalInterface
public interface CredentialsProvider {
    /**
     * Fetches new credentials (may block on I/O).
     *
     * @return new credentials, owned by the caller
     * @throws CredentialsUnavailableException when the fetch failed; its {@link FailureKind}
     *     paces the next attempt (any other exception counts as {@link FailureKind#RETRYABLE})
     */
    Credentials fetchCredentials();
}
