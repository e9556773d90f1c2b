package dev.sigfresh;

import dev.sigfresh.internal.NativeApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an AWS error response means and what to do about it, as the core's classifier decided
 * (see {@link ErrorClassifier}). Immutable; holds no credentials (the message is cleaned:
 * control characters replaced, key-like runs redacted, at most 1 KiB).
 */
public final class Classification {

    /** Why the request failed (the C ABI's {@code SIGFRESH_ERROR_KIND_*}). */
    public enum Kind {
        /** The session token expired ({@code ExpiredToken}, "security token ... is expired"). */
        EXPIRED_TOKEN,
        /** AWS does not recognize the credentials ({@code InvalidClientTokenId}, ...). */
        CREDENTIALS_NOT_RECOGNIZED,
        /** The signing time was too far from AWS's clock. */
        CLOCK_SKEW,
        /** Too many requests. */
        THROTTLING,
        /** A temporary server-side failure. */
        TRANSIENT,
        /** The signature did not match (and clock skew does not explain it). */
        SIGNATURE_MISMATCH,
        /** Not allowed. */
        ACCESS_DENIED,
        /** Anything else. */
        OTHER;

        static Kind of(long code) {
            return code >= 0 && code < 8 ? values()[(int) code] : OTHER;
        }
    }

    /** What to do next (the C ABI's {@code SIGFRESH_ACTION_*}). */
    public enum Action {
        /** Refresh the credentials now, re-sign and retry once. */
        REFRESH_CREDENTIALS_AND_RETRY,
        /** Re-sign with the skew-corrected time and retry once. */
        CORRECT_CLOCK_AND_RETRY,
        /** Retry with exponential backoff and jitter. */
        THROTTLED,
        /** A temporary failure: retry with backoff. */
        RETRY_TRANSIENT,
        /** Retrying the same request will not help. */
        FATAL,
        /** An action this version does not know. */
        OTHER;

        static Action of(long code) {
            return code >= 0 && code < 5 ? values()[(int) code] : OTHER;
        }
    }

    private final Action action;
    private final Action actionForSource;
    private final Kind kind;
    private final int status;
    private final long serverTime;
    private final long skew;
    private final long verdict;
    private final long changeKind;
    private final long offsetAfter;
    private final String code;
    private final String message;
    private final String explanation;
    private final String canonicalRequest;
    private final String stringToSign;

    Classification(Object[] r) {
        long[] n = (long[]) r[0];
        String[] t = (String[]) r[1];
        this.action = Action.of(n[NativeApi.CLASS_ACTION]);
        long afs = n[NativeApi.CLASS_ACTION_FOR_SOURCE];
        this.actionForSource = afs == -1 ? null : Action.of(afs);
        this.kind = Kind.of(n[NativeApi.CLASS_KIND]);
        this.status = (int) n[NativeApi.CLASS_STATUS];
        this.serverTime = n[NativeApi.CLASS_SERVER_TIME];
        this.skew = n[NativeApi.CLASS_SKEW];
        this.verdict = n[NativeApi.CLASS_SKEW_VERDICT];
        this.changeKind = n[NativeApi.CLASS_CHANGE_KIND];
        this.offsetAfter = n[NativeApi.CLASS_CHANGE_OFFSET];
        this.code = t[0];
        this.message = t[1];
        this.explanation = t[2];
        this.canonicalRequest = t.length > 3 ? t[3] : null;
        this.stringToSign = t.length > 4 ? t[4] : null;
    }

    /**
     * What to do next. For {@link Kind#CREDENTIALS_NOT_RECOGNIZED} with credentials from a
     * rotating source, prefer {@link #actionForSource()}.
     *
     * @return the action
     */
    public Action action() {
        return action;
    }

    /**
     * The action for the credentials the request was signed with, when they were given to
     * {@link ErrorClassifier#classify(int, java.util.List, byte[], Instant, Credentials)}: an
     * unrecognized token from a rotating source (IMDS, container, process, SSO, STS) becomes one
     * refresh-and-retry.
     *
     * @return the action, or empty when no credentials were given
     */
    public Optional<Action> actionForSource() {
        return Optional.ofNullable(actionForSource);
    }

    /**
     * Why it failed.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * The AWS error code (e.g. {@code ExpiredToken}), sanitized.
     *
     * @return the code, empty when the response had none
     */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /**
     * AWS's message, cleaned.
     *
     * @return the message, empty when there was none
     */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /**
     * The server's time from the response ({@code Date} header, S3's {@code ServerTime}, a
     * "Signature expired" message).
     *
     * @return the time, empty when the response did not say
     */
    public Optional<Instant> serverTime() {
        return serverTime == NativeApi.ABSENT_TIME ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(serverTime));
    }

    /**
     * How far the server's clock was from ours (server minus local).
     *
     * @return the skew, empty when it could not be measured
     */
    public Optional<Duration> skew() {
        return skew == NativeApi.ABSENT_TIME ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(skew));
    }

    /**
     * Whether clock skew explains the error.
     *
     * @return the verdict, empty when the classifier did not say
     */
    public Optional<ClockSkew.Verdict> skewVerdict() {
        return verdict == -1 ? Optional.<ClockSkew.Verdict>empty() : Optional.of(ClockSkew.Verdict.of(verdict));
    }

    /**
     * The {@link ClockSkew} offset after this response, when the classifier was given one and
     * consulted it (whether it adopted a new offset or kept the old one).
     *
     * @return the offset in use afterwards, empty when the tracker was not consulted
     */
    public Optional<Duration> clockSkewOffsetAfter() {
        return changeKind == -1 ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(offsetAfter));
    }

    /**
     * Whether the {@link ClockSkew} adopted a new offset from this response.
     *
     * @return true when it did
     */
    public boolean clockSkewAdopted() {
        return changeKind == 0;
    }

    /**
     * One or two sentences: what went wrong and the fix. Never credentials.
     *
     * @return the explanation
     */
    public String explanation() {
        return explanation;
    }

    /**
     * The canonical request AWS computed, when the response echoes it (S3's
     * {@code SignatureDoesNotMatch} carries {@code <CanonicalRequest>}): compare it with the one
     * you signed ({@link SigningResult}) to see which part differs. The session token, if any,
     * is replaced by {@code <redacted>}.
     *
     * @return the echoed canonical request, if the body had one
     */
    public Optional<String> canonicalRequest() {
        return Optional.ofNullable(canonicalRequest);
    }

    /**
     * The string to sign AWS computed, when the response echoes it (S3's
     * {@code <StringToSign>}).
     *
     * @return the echoed string to sign, if the body had one
     */
    public Optional<String> stringToSign() {
        return Optional.ofNullable(stringToSign);
    }

    @Override
    public String toString() {
        return "Classification[" + kind + ", " + action + ", status=" + status + (code == null ? "" : ", code=" + code)
                + "]: " + explanation;
    }
}
