package dev.sigfresh;

import java.time.Duration;
import java.util.Optional;

/**
 * No credentials could be fetched, or no usable credentials are cached. Carries how the refresh
 * engine should pace the next attempt; the message says what went wrong (the request, status,
 * AWS error code, variable or file) and never contains a credential.
 */
public class CredentialsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final Long retryAfterMs;

    /**
     * Creates the exception.
     *
     * @param kind how to pace the next attempt
     * @param retryAfter for {@link FailureKind#THROTTLED}: the source's Retry-After, or null
     * @param message what went wrong (never a secret)
     */
    public CredentialsUnavailableException(FailureKind kind, Duration retryAfter, String message) {
        this(kind, retryAfter, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param kind how to pace the next attempt
     * @param retryAfter the Retry-After, or null
     * @param message what went wrong (never a secret)
     * @param cause the cause, or null
     */
    public CredentialsUnavailableException(FailureKind kind, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind == null ? FailureKind.RETRYABLE : kind;
        this.retryAfterMs = retryAfter == null ? null : retryAfter.toMillis();
    }

    /**
     * How to pace the next attempt.
     *
     * @return the kind
     */
    public FailureKind kind() {
        return kind;
    }

    /**
     * The source's Retry-After.
     *
     * @return the delay, when the source gave one
     */
    public Optional<Duration> retryAfter() {
        return retryAfterMs == null ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(retryAfterMs));
    }
}
