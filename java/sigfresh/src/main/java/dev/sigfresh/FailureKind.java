package dev.sigfresh;

/** How a failed credential fetch paces the next attempt (the C ABI's {@code SIGFRESH_FAILURE_*}). */
public enum FailureKind {
    /** Try again after a backoff. */
    RETRYABLE(0),
    /** Retrying will not help soon (bad configuration, access denied). */
    NON_RETRYABLE(1),
    /** The source asked to slow down (honours its Retry-After). */
    THROTTLED(2),
    /** The source is not there (not on EC2, no container endpoint). */
    SOURCE_UNAVAILABLE(3),
    /** A kind this version does not know. */
    OTHER(99);

    final int code;

    FailureKind(int code) {
        this.code = code;
    }

    static FailureKind of(long code) {
        for (FailureKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return OTHER;
    }
}
