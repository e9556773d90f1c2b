package dev.sigfresh;

/**
 * A signed request that does not verify. {@link #reason()} says why in one word; the
 * {@linkplain #detail() detail} is the core's precise message (for a signature mismatch: the
 * canonical request and string to sign the verifier computed, session token redacted; never a
 * secret key). {@link #code()} is the C ABI's {@code SIGFRESH_VERIFY_*} (200..299) or, when the
 * request itself cannot be canonicalized, its {@code SIGFRESH_SIGN_*} code (100..199).
 */
public final class VerificationException extends SigfreshException {
    private static final long serialVersionUID = 1L;

    /** Why a request does not verify (the C ABI's {@code SIGFRESH_VERIFY_*} codes). */
    public enum Reason {
        /** No {@code Authorization} header and no {@code X-Amz-Signature} parameter (200). */
        MISSING_SIGNATURE,
        /** The signature information is malformed; the detail names what (201). */
        MALFORMED,
        /** An algorithm other than {@code AWS4-HMAC-SHA256} (202). */
        UNSUPPORTED_ALGORITHM,
        /** The lookup knows no credentials for the access key id (203). */
        UNKNOWN_ACCESS_KEY,
        /** A header listed in {@code SignedHeaders} is missing (204). */
        MISSING_SIGNED_HEADER,
        /** No {@code x-amz-date} / {@code X-Amz-Date} (205). */
        MISSING_DATE,
        /** The date is not {@code YYYYMMDDTHHMMSSZ} (206). */
        INVALID_DATE,
        /** The credential scope's date is not the date signed (207). */
        SCOPE_DATE_MISMATCH,
        /** Signed too far from the verifier's time (AWS: {@code RequestTimeTooSkewed}) (208). */
        REQUEST_TIME_TOO_SKEWED,
        /** A presigned URL past its {@code X-Amz-Expires} (209). */
        EXPIRED,
        /** {@code X-Amz-Expires} is not 1..604800 (210). */
        INVALID_EXPIRES,
        /** The session token is not the one issued with the credentials, or missing (211). */
        SESSION_TOKEN_MISMATCH,
        /** The signature differs from the one computed over the request (212). */
        SIGNATURE_MISMATCH,
        /** The request cannot be canonicalized (a {@code SIGFRESH_SIGN_*} code). */
        INVALID_REQUEST,
        /** A reason this version does not know ({@code SIGFRESH_VERIFY_OTHER} and newer codes). */
        OTHER;

        static Reason of(int code) {
            if (code >= 200 && code <= 212) {
                return values()[code - 200];
            }
            return code >= 100 && code < 200 ? INVALID_REQUEST : OTHER;
        }
    }

    private final Reason reason;

    VerificationException(SigfreshException e) {
        super(e.code(), e.codeName(), e.detail());
        this.reason = Reason.of(e.code());
        initCause(e);
    }

    static boolean isVerificationCode(int code) {
        return code >= 100 && code < 300;
    }

    /**
     * Why the request does not verify.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
