package dev.sigfresh.internal;

/**
 * The one seam between the public {@code dev.sigfresh} classes and native code. Not public API.
 *
 * <p>Two implementations: {@code JniNative} (JDK 8+, entry points in the ffi crate behind its
 * {@code jni} feature) and {@code PanamaNative} (JDK 22+, {@code java.lang.foreign} over the C ABI
 * of {@code include/sigfresh.h}). Both use the same shared library, so a handle made by one is a
 * valid C handle for the other. {@code java/BINDING.md} states the conventions in full; in short:
 *
 * <ul>
 *   <li><b>Handles</b> are {@code long} (the C pointer); {@code 0} means none. Every method that
 *       returns a handle gives the caller a new handle it owns and frees with the named
 *       {@code *Free} method. {@code *Free(0)} is a no-op.
 *   <li><b>Times</b> are Unix milliseconds; {@link #ABSENT_TIME} ({@code Long.MIN_VALUE}) means
 *       absent, in arguments and results alike.
 *   <li><b>Enums</b> are the C ABI's integer constants ({@code SIGFRESH_*} numbers).
 *   <li><b>Struct-like results</b> are {@code long[]} (booleans as 0/1) or {@code String[]} with the
 *       slot layout documented on each method; {@code Object[]} where numbers, text and bytes
 *       travel together.
 *   <li><b>Headers / name-value lists</b> are flat {@code String[] {name0, value0, name1, ...}}.
 *   <li><b>Bodies</b> are {@code byte[]}; {@code null} is an empty body where a parameter says
 *       "nullable".
 *   <li><b>Null</b>: a reference parameter not documented as nullable must not be null; null
 *       gives {@code SigfreshException} with code {@code SIGFRESH_NULL_PARAMETER} (1). A null
 *       element inside a {@code String[]} is also {@code SIGFRESH_NULL_PARAMETER}.
 *   <li><b>Errors</b>: every failure throws {@link dev.sigfresh.SigfreshException} carrying the C
 *       result code, its name ({@code sigfresh_result_name}) and the detail
 *       ({@code sigfresh_last_error_message}), never a secret. {@code SIGFRESH_ABSENT} (9) is not
 *       thrown where a method documents an "absent" return value ({@code null},
 *       {@link #ABSENT_TIME}, {@code 0}).
 *   <li><b>Crossings</b>: each method is one native call on the JNI side; the Panama side may make
 *       several downcalls.
 * </ul>
 *
 * <p>Thread safety is the C ABI's: credentials, signer, verifier (after construction), cache,
 * clock skew may be used from many threads at once; sources, leases and profile sets are used by
 * one thread at a time (the public classes synchronize). The public classes never pass a freed
 * handle (they check their own closed state first); if one is passed anyway, the native side
 * detects it ({@code SIGFRESH_HANDLE_FREED} / {@code SIGFRESH_INVALID_HANDLE}) as long as the
 * handle is still in the library's quarantine.
 */
public interface NativeApi {

    /** {@code Long.MIN_VALUE}: an absent time or optional number. */
    long ABSENT_TIME = Long.MIN_VALUE;

    // ------------------------------------------------------------------ meta

    /**
     * The library version ({@code sigfresh_version}).
     *
     * @return e.g. {@code "0.1.0"}
     */
    String version();

    /**
     * The name of a result code ({@code sigfresh_result_name}).
     *
     * @param code a {@code SIGFRESH_*} result number
     * @return e.g. {@code "SIGFRESH_NULL_PARAMETER"}; the library's text for unknown codes
     */
    String resultName(int code);

    /**
     * The static description of a result code ({@code sigfresh_result_message}).
     *
     * @param code a {@code SIGFRESH_*} result number
     * @return the description
     */
    String resultMessage(int code);

    /**
     * Which binding this is, for diagnostics.
     *
     * @return {@code "jni"} or {@code "panama"}
     */
    String bindingName();

    // ------------------------------------------------------------------ credentials

    /**
     * Builds credentials ({@code sigfresh_credentials_new}).
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     * @param sessionToken the session token; nullable (none)
     * @param expiryMs when they expire; {@link #ABSENT_TIME} for never
     * @param accountId the account id; nullable (none)
     * @param source a {@code SIGFRESH_CREDENTIAL_SOURCE_*} constant
     * @return a new credentials handle; free with {@link #credentialsFree}
     */
    long credentialsNew(
            String accessKeyId,
            String secretAccessKey,
            String sessionToken,
            long expiryMs,
            String accountId,
            int source);

    /**
     * Releases credentials ({@code sigfresh_credentials_free}); 0 is a no-op.
     *
     * @param credentials the handle
     */
    void credentialsFree(long credentials);

    /**
     * The non-secret text fields.
     *
     * @param credentials the handle
     * @return {@code [0] accessKeyId, [1] accountId or null, [2] profileName or null}
     */
    String[] credentialsText(long credentials);

    /**
     * The numeric fields.
     *
     * @param credentials the handle
     * @return {@code [0] hasSessionToken (0/1), [1] expiryMs or ABSENT_TIME, [2] source
     *     (SIGFRESH_CREDENTIAL_SOURCE_*)}
     */
    long[] credentialsInfo(long credentials);

    /**
     * The secret fields, for adapters that must hand them to another library. Never log them.
     *
     * @param credentials the handle
     * @return {@code [0] secretAccessKey, [1] sessionToken or null}
     */
    String[] credentialsExpose(long credentials);

    // ------------------------------------------------------------------ documents

    /**
     * Parses one credential document of a known format.
     *
     * @param format {@code SIGFRESH_FORMAT_INSTANCE_METADATA} (0), {@code _CONTAINER} (1),
     *     {@code _PROCESS} (2), {@code _SSO} (3) or {@code _STS} (4); others give
     *     {@code SIGFRESH_INVALID_ARGUMENT}
     * @param document the bytes
     * @return a new credentials handle; free with {@link #credentialsFree}
     */
    long documentParse(int format, byte[] document);

    /**
     * Parses a document of any JSON/XML format ({@code sigfresh_document_parse_any}).
     *
     * @param document the bytes
     * @return {@code [0] format (SIGFRESH_FORMAT_*), [1] new credentials handle}
     */
    long[] documentParseAny(byte[] document);

    /**
     * Credentials from environment variables ({@code sigfresh_document_parse_env}).
     *
     * @param vars flat name/value pairs
     * @return a new credentials handle; free with {@link #credentialsFree}
     */
    long documentParseEnv(String[] vars);

    /**
     * The name of a document format ({@code sigfresh_document_format_name}).
     *
     * @param format a {@code SIGFRESH_FORMAT_*} constant
     * @return its name
     */
    String documentFormatName(int format);

    /**
     * Parses the shared credentials and config files ({@code sigfresh_profile_set_parse}).
     *
     * @param credentialsText the credentials file's text; nullable (no file)
     * @param configText the config file's text; nullable (no file)
     * @return a new profile set handle; free with {@link #profileSetFree}
     */
    long profileSetParse(String credentialsText, String configText);

    /**
     * Releases a profile set; 0 is a no-op.
     *
     * @param set the handle
     */
    void profileSetFree(long set);

    /**
     * The profile names, in file order.
     *
     * @param set the handle
     * @return the names
     */
    String[] profileSetNames(long set);

    /**
     * One key of one profile ({@code sigfresh_profile_set_get}).
     *
     * @param set the handle
     * @param profile the profile name
     * @param key the key
     * @return the value, or null when the profile or key is absent
     */
    String profileSetGet(long set, String profile, String key);

    /**
     * One key of one {@code [sso-session]} section.
     *
     * @param set the handle
     * @param session the session name
     * @param key the key
     * @return the value, or null when absent
     */
    String profileSetSsoSessionGet(long set, String session, String key);

    /**
     * Static credentials of a profile ({@code sigfresh_profile_set_credentials}).
     *
     * @param set the handle
     * @param profile the profile name
     * @return a new credentials handle; free with {@link #credentialsFree}
     */
    long profileSetCredentials(long set, String profile);

    // ------------------------------------------------------------------ time

    /** {@link #timeParse}/{@link #timeFormat} kind: RFC 3339 ({@code 2024-01-02T03:04:05Z}). */
    int TIME_RFC3339 = 0;
    /** {@link #timeParse}/{@link #timeFormat} kind: SigV4 basic format ({@code 20240102T030405Z}). */
    int TIME_AMZ_DATE = 1;
    /** {@link #timeParse} kind: HTTP date (IMF-fixdate, RFC 850, asctime). */
    int TIME_HTTP_DATE = 2;

    /**
     * Parses a timestamp.
     *
     * @param kind {@link #TIME_RFC3339}, {@link #TIME_AMZ_DATE} or {@link #TIME_HTTP_DATE}
     * @param text the text
     * @return Unix ms
     */
    long timeParse(int kind, String text);

    /**
     * Formats a timestamp.
     *
     * @param kind {@link #TIME_RFC3339} or {@link #TIME_AMZ_DATE}
     * @param ms Unix ms
     * @return the text
     */
    String timeFormat(int kind, long ms);

    // ------------------------------------------------------------------ signing

    /** Settings slot: 0 = {@code sigfresh_signing_settings_new}, 1 = {@code _new_s3}. */
    int SETTINGS_BASE = 0;
    /** Settings slot: {@code SIGFRESH_URI_ENCODING_*}, or -1 to keep the base's. */
    int SETTINGS_URI_ENCODING = 1;
    /** Settings slot: {@code SIGFRESH_PATH_NORMALIZATION_*}, or -1. */
    int SETTINGS_PATH_NORMALIZATION = 2;
    /** Settings slot: {@code SIGFRESH_SESSION_TOKEN_*}, or -1. */
    int SETTINGS_SESSION_TOKEN_MODE = 3;
    /** Settings slot: {@code SIGFRESH_CONTENT_SHA256_*}, or -1. */
    int SETTINGS_CONTENT_SHA256 = 4;
    /** Settings slot: {@code SIGFRESH_HEADERS_*}, or -1 (the header names then are ignored). */
    int SETTINGS_HEADER_SELECTION = 5;
    /** Settings slot: {@code SIGFRESH_LOCATION_*}, or -1. */
    int SETTINGS_LOCATION = 6;
    /** Settings slot: presigned URL expiry in seconds (used with {@code SETTINGS_LOCATION}). */
    int SETTINGS_EXPIRES_IN_SECS = 7;
    /** The length of a signer settings array. */
    int SETTINGS_LENGTH = 8;

    /**
     * Builds a signer in one call: settings from the base, each slot applied in slot order
     * (uri encoding, path normalization, session token mode, content sha256, header selection,
     * location), then {@code sigfresh_signer_new}. No settings handle escapes.
     *
     * @param region e.g. {@code "us-east-1"}
     * @param service e.g. {@code "execute-api"}
     * @param settings {@link #SETTINGS_LENGTH} slots, see the {@code SETTINGS_*} constants
     * @param headerNames the allow or deny list for {@code SETTINGS_HEADER_SELECTION}; nullable
     *     (empty)
     * @return a new signer handle; free with {@link #signerFree}
     */
    long signerNew(String region, String service, long[] settings, String[] headerNames);

    /**
     * Releases a signer; 0 is a no-op.
     *
     * @param signer the handle
     */
    void signerFree(long signer);

    /**
     * Signs a request for the header location ({@code sigfresh_signer_sign}).
     *
     * @param signer the signer handle
     * @param method e.g. {@code "GET"}
     * @param uri an absolute URL, or an origin-form target with a host header
     * @param headers the request's headers, flat pairs in wire order
     * @param payloadKind {@code SIGFRESH_PAYLOAD_*}
     * @param payloadData the body (BYTES) or the hex hash as ASCII bytes (PRECOMPUTED); nullable
     *     (empty) and ignored for the other kinds
     * @param credentials the credentials handle
     * @param timeMs the signing time, Unix ms
     * @return the headers to add, flat pairs (e.g. x-amz-date, x-amz-security-token,
     *     x-amz-content-sha256, authorization)
     */
    String[] sign(
            long signer,
            String method,
            String uri,
            String[] headers,
            int payloadKind,
            byte[] payloadData,
            long credentials,
            long timeMs);

    /**
     * The hot path of signing with a cache, in one crossing where the binding can: the cache's
     * lock-free read ({@code sigfresh_credential_cache_current} at {@code nowMs}); when its
     * decision is {@code SIGFRESH_DECISION_FRESH} and credentials are cached, {@link #sign} with
     * them at {@code nowMs}; otherwise null, and the caller takes the full path
     * ({@link #cacheGet}, which may hand out a lease or ask to wait). No lease is taken here.
     *
     * <p>The default is that composition over {@link #cacheCurrent} and {@link #sign} (several
     * crossings); the JNI binding does it in one.
     *
     * @param signer the signer handle
     * @param cache the cache handle
     * @param method the method
     * @param uri the URI
     * @param headers flat pairs
     * @param payloadKind {@code SIGFRESH_PAYLOAD_*}
     * @param payloadData nullable
     * @param nowMs the signing time and the cache's "now", Unix ms
     * @return the headers to add, as {@link #sign}, or null when the cache's credentials are not
     *     FRESH at {@code nowMs}
     */
    default String[] signWithCache(
            long signer,
            long cache,
            String method,
            String uri,
            String[] headers,
            int payloadKind,
            byte[] payloadData,
            long nowMs) {
        if (signer == 0) {
            throw new dev.sigfresh.SigfreshException(1, "SIGFRESH_NULL_PARAMETER", "`signer` is null");
        }
        long[] current = cacheCurrent(cache, nowMs);
        long credentials = current[7];
        try {
            if (current[0] != 0 || credentials == 0) {
                return null;
            }
            return sign(signer, method, uri, headers, payloadKind, payloadData, credentials, nowMs);
        } finally {
            credentialsFree(credentials);
        }
    }

    /**
     * Presigns a request ({@code sigfresh_signer_presign}); the signer must have been built with
     * {@code SIGFRESH_LOCATION_QUERY_STRING}. Arguments as {@link #sign}.
     *
     * @param signer the signer handle
     * @param method the method
     * @param uri the URI
     * @param headers flat pairs
     * @param payloadKind {@code SIGFRESH_PAYLOAD_*}
     * @param payloadData nullable
     * @param credentials the credentials handle
     * @param timeMs the signing time
     * @return the presigned URL
     */
    String presign(
            long signer,
            String method,
            String uri,
            String[] headers,
            int payloadKind,
            byte[] payloadData,
            long credentials,
            long timeMs);

    /**
     * Signs and returns every stage ({@code sigfresh_signer_sign_output} and the
     * {@code sigfresh_signing_output_*} accessors; the output handle is freed inside the call).
     * Arguments as {@link #sign}.
     *
     * @param signer the signer handle
     * @param method the method
     * @param uri the URI
     * @param headers flat pairs
     * @param payloadKind {@code SIGFRESH_PAYLOAD_*}
     * @param payloadData nullable
     * @param credentials the credentials handle
     * @param timeMs the signing time
     * @return {@code [0]} = {@code {canonicalRequest, stringToSign, signature, authorization or
     *     null (presigned), signedUri or null (header signing)}}, {@code [1]} = headers added
     *     (flat pairs), {@code [2]} = query parameters added (flat pairs, presigned only; else
     *     empty)
     */
    String[][] signOutput(
            long signer,
            String method,
            String uri,
            String[] headers,
            int payloadKind,
            byte[] payloadData,
            long credentials,
            long timeMs);

    // ------------------------------------------------------------------ verification

    /** Verifier slot: 0 = {@code sigfresh_verifier_new}, 1 = {@code _new_s3}. */
    int VERIFIER_BASE = 0;
    /** Verifier slot: {@code SIGFRESH_URI_ENCODING_*} or -1. */
    int VERIFIER_URI_ENCODING = 1;
    /** Verifier slot: {@code SIGFRESH_PATH_NORMALIZATION_*} or -1. */
    int VERIFIER_PATH_NORMALIZATION = 2;
    /** Verifier slot: {@code SIGFRESH_SESSION_TOKEN_*} or -1. */
    int VERIFIER_SESSION_TOKEN_MODE = 3;
    /** Verifier slot: max skew in seconds, or -1 (default 900). */
    int VERIFIER_MAX_SKEW_SECS = 4;
    /** The length of a verifier settings array. */
    int VERIFIER_LENGTH = 5;

    /**
     * Builds a verifier in one call (base, then each slot that is not -1).
     *
     * @param settings {@link #VERIFIER_LENGTH} slots, see {@code VERIFIER_*}
     * @return a new verifier handle; free with {@link #verifierFree}
     */
    long verifierNew(long[] settings);

    /**
     * Releases a verifier; 0 is a no-op.
     *
     * @param verifier the handle
     */
    void verifierFree(long verifier);

    /**
     * Verifies a signed request ({@code sigfresh_verifier_verify}). The lookup callback of the C
     * ABI is answered from {@code candidates}: the first candidate whose access key id equals the
     * requested one (exact comparison), else none (the core then reports
     * {@code SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY}).
     *
     * @param verifier the verifier handle
     * @param method the method
     * @param uri the URI as received
     * @param headers flat pairs as received (including Authorization)
     * @param payloadKind {@code SIGFRESH_PAYLOAD_*}
     * @param payloadData nullable
     * @param candidates credentials handles (non-zero); may be empty
     * @param nowMs the verifier's clock
     * @return {@code [0] accessKeyId, [1] region, [2] service, [3] signedAtMs (decimal),
     *     [4] expiresAtMs (decimal) or null (header-signed), [5..] signed header names}
     */
    String[] verify(
            long verifier,
            String method,
            String uri,
            String[] headers,
            int payloadKind,
            byte[] payloadData,
            long[] candidates,
            long nowMs);

    /**
     * Answers the C verifier's {@code sigfresh_credentials_lookup} during
     * {@link #verifyWithLookup}: called at most once, on the verifying thread, while the native
     * call runs.
     */
    interface CredentialsLookup {
        /**
         * Finds the credentials for an access key id.
         *
         * @param accessKeyId the access key id the request names (its bytes decoded as UTF-8)
         * @return a credentials handle that the caller keeps valid until
         *     {@link #verifyWithLookup} returns, or 0 when the key is unknown
         */
        long find(String accessKeyId);
    }

    /**
     * Verifies a signed request ({@code sigfresh_verifier_verify}) with a lookup answered by Java
     * code: the binding's C lookup callback calls {@code lookup.find(accessKeyId)} and returns its
     * handle (0 → NULL, and the core reports {@code SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY}). If
     * {@code find} throws, the C lookup answers NULL and the exception is rethrown unchanged by
     * this method once the native call has returned (instead of the core's error). Arguments and
     * result as {@link #verify}.
     *
     * <p>The default throws {@link UnsupportedOperationException}: a binding that does not
     * implement it yet.
     *
     * @param verifier the verifier handle
     * @param method the method
     * @param uri the URI as received
     * @param headers flat pairs as received
     * @param payloadKind {@code SIGFRESH_PAYLOAD_*}
     * @param payloadData nullable
     * @param lookup the lookup (null → {@code SIGFRESH_NULL_PARAMETER} "`lookup` is null")
     * @param nowMs the verifier's clock
     * @return as {@link #verify}
     */
    default String[] verifyWithLookup(
            long verifier,
            String method,
            String uri,
            String[] headers,
            int payloadKind,
            byte[] payloadData,
            CredentialsLookup lookup,
            long nowMs) {
        throw new UnsupportedOperationException(
                "the " + bindingName() + " binding does not implement verifyWithLookup yet");
    }

    /**
     * Parses an HTTP/1.1 request message ({@code sigfresh_raw_request_parse}), as in the SigV4
     * suite's {@code .req} files.
     *
     * @param text the message bytes
     * @return {@code [0] String[] {method, target, version or null}, [1] String[] headers (flat pairs,
     *     wire order), [2] byte[] body}
     */
    Object[] rawRequestParse(byte[] text);

    // ------------------------------------------------------------------ refresh

    /**
     * Policy slots 0..8 are durations in ms indexed by {@code SIGFRESH_POLICY_*} duration
     * constants (REFRESH_WINDOW=0 ... STATIC_STABILITY_INTERVAL=8), -1 keeps the default.
     */
    int POLICY_JITTER_PERCENT = 9;
    /** Policy slot: IMDS static stability 0/1, or -1 for the default. */
    int POLICY_IMDS_STATIC_STABILITY = 10;
    /** The length of a policy array. */
    int POLICY_LENGTH = 11;

    /**
     * Builds a credential cache in one call: {@code sigfresh_refresh_policy_new}, each slot that
     * is not -1 applied (durations in slot order, then jitter, then static stability),
     * {@code sigfresh_credential_cache_new}, policy freed. {@code SIGFRESH_POLICY_*} errors name
     * the rule.
     *
     * @param policy {@link #POLICY_LENGTH} slots
     * @return a new cache handle; free with {@link #cacheFree}
     */
    long cacheNew(long[] policy);

    /**
     * Releases a cache; 0 is a no-op. No other thread may be using it.
     *
     * @param cache the handle
     */
    void cacheFree(long cache);

    /** Slot of {@link #cacheGet}: SIGFRESH_ACCESS_*. */
    int GET_ACCESS_KIND = 0;
    /** Slot: SIGFRESH_DECISION_*, copied as-is from the C struct (meaningful for USE and REFRESH). */
    int GET_DECISION_KIND = 1;
    /** Slot: decision refresh_at_ms. */
    int GET_REFRESH_AT = 2;
    /** Slot: decision expires_at_ms (valid when GET_HAS_EXPIRY is 1). */
    int GET_EXPIRES_AT = 3;
    /** Slot: decision has_expiry 0/1. */
    int GET_HAS_EXPIRY = 4;
    /** Slot: decision retry_at_ms. */
    int GET_RETRY_AT = 5;
    /** Slot: decision usable 0/1. */
    int GET_USABLE = 6;
    /** Slot: decision must_wait 0/1. */
    int GET_MUST_WAIT = 7;
    /** Slot: until_ms (WAIT, FAILED). */
    int GET_UNTIL = 8;
    /** Slot: generation (WAIT, FAILED). */
    int GET_GENERATION = 9;
    /** Slot: failure kind SIGFRESH_FAILURE_*, copied as-is (meaningful for FAILED). */
    int GET_FAILURE_KIND = 10;
    /** Slot: failure has_retry_after 0/1. */
    int GET_HAS_RETRY_AFTER = 11;
    /** Slot: failure retry_after_ms. */
    int GET_RETRY_AFTER = 12;
    /** Slot: new credentials handle or 0 (caller frees with credentialsFree). */
    int GET_CREDENTIALS = 13;
    /** Slot: new lease handle or 0 (caller completes/releases it, then leaseFree). */
    int GET_LEASE = 14;
    /** The length of a {@link #cacheGet} result. */
    int GET_LENGTH = 15;

    /**
     * What to sign with at {@code nowMs} ({@code sigfresh_credential_cache_get}).
     *
     * @param cache the handle
     * @param nowMs Unix ms
     * @return {@link #GET_LENGTH} slots, see {@code GET_*}
     */
    long[] cacheGet(long cache, long nowMs);

    /**
     * The lock-free read ({@code sigfresh_credential_cache_current}).
     *
     * @param cache the handle
     * @param nowMs Unix ms
     * @return {@code [0] decisionKind, [1] refreshAtMs, [2] expiresAtMs, [3] hasExpiry,
     *     [4] retryAtMs, [5] usable, [6] mustWait, [7] credentials handle or 0 (caller frees)}
     */
    long[] cacheCurrent(long cache, long nowMs);

    /**
     * Completes a lease with credentials; the lease is used up (still free it with
     * {@link #leaseFree}); {@code credentials} stays the caller's.
     *
     * @param cache the cache
     * @param lease the lease
     * @param credentials the credentials handle
     * @param nowMs Unix ms
     * @param jitter a random 64-bit value
     * @return {@code [0] completionKind (SIGFRESH_COMPLETION_*), [1] atMs}
     */
    long[] cacheCompleteSuccess(long cache, long lease, long credentials, long nowMs, long jitter);

    /**
     * Completes a lease with a credential document (parsed by the core as
     * {@code sigfresh_document_parse_any}). When the document does not parse, its error is thrown
     * and the lease is left unused (complete it with {@link #cacheCompleteFailure}).
     *
     * @param cache the cache
     * @param lease the lease
     * @param document the bytes
     * @param nowMs Unix ms
     * @param jitter random
     * @return {@code [0] completionKind, [1] atMs, [2] format (SIGFRESH_FORMAT_*)}
     */
    long[] cacheCompleteDocument(long cache, long lease, byte[] document, long nowMs, long jitter);

    /**
     * Completes a lease with a failure.
     *
     * @param cache the cache
     * @param lease the lease
     * @param failureKind {@code SIGFRESH_FAILURE_*}
     * @param retryAfterMs THROTTLED: the Retry-After in ms, or {@link #ABSENT_TIME}
     * @param nowMs Unix ms
     * @param jitter random
     * @return {@code [0] completionKind, [1] atMs}
     */
    long[] cacheCompleteFailure(
            long cache, long lease, int failureKind, long retryAfterMs, long nowMs, long jitter);

    /**
     * Gives a lease back without an outcome; the lease is used up.
     *
     * @param cache the cache
     * @param lease the lease
     * @return whether it was still the cache's current lease
     */
    boolean cacheRelease(long cache, long lease);

    /**
     * Installs credentials outside a lease ({@code sigfresh_credential_cache_install}).
     *
     * @param cache the cache
     * @param credentials the credentials (stay the caller's)
     * @param nowMs Unix ms
     * @param jitter random
     * @return {@code [0] completionKind, [1] atMs}
     */
    long[] cacheInstall(long cache, long credentials, long nowMs, long jitter);

    /**
     * Drops the cached credentials if they are still {@code credentials}.
     *
     * @param cache the cache
     * @param credentials the credentials the caller signed with
     * @return whether they were dropped
     */
    boolean cacheInvalidateIfCurrent(long cache, long credentials);

    /**
     * The earliest instant a lease may be handed out, assuming no completion first
     * ({@code sigfresh_credential_cache_next_refresh_at}).
     *
     * @param cache the cache
     * @return Unix ms, or {@link #ABSENT_TIME} meaning "now" (the C call's SIGFRESH_ABSENT)
     */
    long cacheNextRefreshAt(long cache);

    /**
     * Blocks until the cache's generation differs from {@code generation} or the timeout passes
     * ({@code sigfresh_credential_cache_wait_for_change}).
     *
     * @param cache the cache
     * @param generation from a WAIT/FAILED access
     * @param timeoutMs the longest wait
     * @return whether it changed
     */
    boolean cacheWaitForChange(long cache, long generation, long timeoutMs);

    /**
     * The cache's generation.
     *
     * @param cache the cache
     * @return the generation
     */
    long cacheGeneration(long cache);

    /**
     * The last refresh failure.
     *
     * @param cache the cache
     * @return {@code [0] failureKind, [1] hasRetryAfter, [2] retryAfterMs}, or null when none
     */
    long[] cacheLastFailure(long cache);

    /**
     * Releases a lease; 0 is a no-op.
     *
     * @param lease the lease
     */
    void leaseFree(long lease);

    /**
     * A lease's times.
     *
     * @param lease the lease
     * @return {@code [0] issuedAtMs, [1] deadlineMs}
     */
    long[] leaseInfo(long lease);

    // ------------------------------------------------------------------ sources

    /**
     * An IMDS source ({@code sigfresh_source_new_imds}).
     *
     * @param env flat name/value pairs (AWS_EC2_METADATA_*, AWS_METADATA_SERVICE_*)
     * @param profileSet a profile set handle or 0
     * @param profile the profile name; nullable
     * @return a new source handle; free with {@link #sourceFree}
     */
    long sourceNewImds(String[] env, long profileSet, String profile);

    /**
     * A container-endpoint source ({@code sigfresh_source_new_container}); throws
     * {@code SIGFRESH_ABSENT} when neither URI variable is set.
     *
     * @param env flat name/value pairs
     * @return a new source handle
     */
    long sourceNewContainer(String[] env);

    /**
     * The default chain ({@code sigfresh_source_new_chain}).
     *
     * @param env flat name/value pairs
     * @param credentialsText the shared credentials file; nullable (no file)
     * @param configText the config file; nullable (no file)
     * @return a new source handle
     */
    long sourceNewChain(String[] env, String credentialsText, String configText);

    /**
     * Releases a source; 0 is a no-op.
     *
     * @param source the handle
     */
    void sourceFree(long source);

    /**
     * Begins a fetch.
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param jitter random
     */
    void sourceStart(long source, long nowMs, long jitter);

    /** Poll numbers slot: SIGFRESH_STEP_*. */
    int STEP_KIND = 0;
    /** Poll numbers slot: WAIT: wait until (Unix ms). */
    int STEP_WAIT_UNTIL = 1;
    /** Poll numbers slot: FAILED: the SIGFRESH_SOURCE_* code (else 0). */
    int STEP_ERROR = 2;
    /** Poll numbers slot: FAILED: SIGFRESH_FAILURE_* (else -1). */
    int STEP_FAILURE_KIND = 3;
    /** Poll numbers slot: FAILED: has_retry_after 0/1. */
    int STEP_HAS_RETRY_AFTER = 4;
    /** Poll numbers slot: FAILED: retry_after_ms. */
    int STEP_RETRY_AFTER = 5;
    /** Poll numbers slot: SEND: timeout in ms. */
    int STEP_TIMEOUT = 6;
    /** Poll numbers slot: SEND: use_proxy 0/1. */
    int STEP_USE_PROXY = 7;
    /** Poll numbers slot: DONE: a new credentials handle (caller frees); else 0. */
    int STEP_CREDENTIALS = 8;
    /** The length of the poll numbers array. */
    int STEP_LENGTH = 9;

    /**
     * What to do next ({@code sigfresh_source_poll}, plus {@code sigfresh_source_credentials}
     * on DONE and {@code sigfresh_source_error_message} on FAILED).
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @return {@code [0] long[STEP_LENGTH]} numbers (see {@code STEP_*}), {@code [1] String[]
     *     {method, url, text, errorMessage}} (SEND: method and url; READ_FILE/RUN_PROCESS/RESOLVE:
     *     text; FAILED: errorMessage; others null), {@code [2] String[]} request headers (flat
     *     pairs; empty unless SEND; values may be secret), {@code [3] byte[]} request body (empty
     *     unless SEND), {@code [4] String[]} connect-to addresses (empty: any)
     */
    Object[] sourcePoll(long source, long nowMs);

    /**
     * Feeds an HTTP response.
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param status the status code
     * @param headers flat pairs
     * @param body nullable (empty)
     */
    void sourceHandleResponse(long source, long nowMs, int status, String[] headers, byte[] body);

    /**
     * Feeds a transport failure.
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param error {@code SIGFRESH_TRANSPORT_*}
     * @param detail nullable; never a secret
     */
    void sourceHandleTransportError(long source, long nowMs, int error, String detail);

    /**
     * Feeds a file's contents (READ_FILE).
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param contents nullable (empty)
     */
    void sourceHandleFile(long source, long nowMs, byte[] contents);

    /**
     * Feeds a process result (RUN_PROCESS).
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param exitCode the exit code, or {@link #ABSENT_TIME} when killed by a signal
     * @param stdout nullable (empty)
     */
    void sourceHandleProcess(long source, long nowMs, long exitCode, byte[] stdout);

    /**
     * Feeds resolved addresses (RESOLVE).
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param addresses IP addresses as text
     */
    void sourceHandleResolved(long source, long nowMs, String[] addresses);

    /**
     * Feeds a failed file read, process run or resolution.
     *
     * @param source the handle
     * @param nowMs Unix ms
     * @param action {@code SIGFRESH_IO_ACTION_*}
     * @param failure {@code SIGFRESH_IO_*}
     * @param detail nullable
     */
    void sourceHandleIoFailure(long source, long nowMs, int action, int failure, String detail);

    /**
     * What the source chose and why ({@code sigfresh_source_explain}).
     *
     * @param source the handle
     * @return the text, or null when the C call says SIGFRESH_ABSENT (not a chain source)
     */
    String sourceExplain(long source);

    /**
     * Warnings about the configuration ({@code sigfresh_source_warning}).
     *
     * @param source the handle
     * @return the warnings, possibly empty
     */
    String[] sourceWarnings(long source);

    // ------------------------------------------------------------------ classification & skew

    /** Classification numbers slot: SIGFRESH_ACTION_*. */
    int CLASS_ACTION = 0;
    /** Slot: SIGFRESH_ERROR_KIND_*. */
    int CLASS_KIND = 1;
    /** Slot: the HTTP status. */
    int CLASS_STATUS = 2;
    /** Slot: the server time (Unix ms) or ABSENT_TIME. */
    int CLASS_SERVER_TIME = 3;
    /** Slot: the measured skew (ms) or ABSENT_TIME. */
    int CLASS_SKEW = 4;
    /** Slot: SIGFRESH_SKEW_VERDICT_* or -1 when absent. */
    int CLASS_SKEW_VERDICT = 5;
    /** Slot: skew change kind SIGFRESH_SKEW_ADOPTED/KEPT or -1 when absent. */
    int CLASS_CHANGE_KIND = 6;
    /** Slot: skew change previous_ms. */
    int CLASS_CHANGE_PREVIOUS = 7;
    /** Slot: skew change offset_ms. */
    int CLASS_CHANGE_OFFSET = 8;
    /** Slot: skew change measured_ms. */
    int CLASS_CHANGE_MEASURED = 9;
    /** Slot: action for the given credentials' source, or -1 when no credentials were given. */
    int CLASS_ACTION_FOR_SOURCE = 10;
    /** The length of the classification numbers. */
    int CLASS_LENGTH = 11;

    /**
     * Classifies an AWS error response in one call ({@code sigfresh_classification_new}, every
     * accessor, free).
     *
     * @param status the HTTP status
     * @param headers flat pairs
     * @param body nullable (empty)
     * @param skew a clock skew handle or 0
     * @param localNowMs the host clock when the response arrived
     * @param credentials a credentials handle or 0 (for the action-for-source slot)
     * @return {@code [0] long[CLASS_LENGTH]}, {@code [1] String[] {code or null, message or
     *     null, explanation, the canonical request AWS echoed or null, the string to sign AWS
     *     echoed or null}}
     */
    Object[] classify(
            int status, String[] headers, byte[] body, long skew, long localNowMs, long credentials);

    /**
     * A clock-skew tracker.
     *
     * @param thresholdMs the adoption threshold, or {@link #ABSENT_TIME} for the default
     * @return a new handle; free with {@link #skewFree}
     */
    long skewNew(long thresholdMs);

    /**
     * Releases a skew tracker; 0 is a no-op.
     *
     * @param skew the handle
     */
    void skewFree(long skew);

    /**
     * The tracker's numbers.
     *
     * @param skew the handle
     * @return {@code [0] thresholdMs, [1] offsetMs}
     */
    long[] skewInfo(long skew);

    /**
     * The corrected time.
     *
     * @param skew the handle
     * @param localNowMs the host clock
     * @return the server-estimated time (Unix ms)
     */
    long skewCorrected(long skew, long localNowMs);

    /**
     * Observes a server time.
     *
     * @param skew the handle
     * @param serverTimeMs the server's time
     * @param requestSentMs the local time the request was sent (or the local now for a single
     *     reading)
     * @param responseReceivedMs the local time the response arrived, or {@link #ABSENT_TIME} for
     *     {@code sigfresh_clock_skew_observe} with {@code requestSentMs} as local now
     * @return {@code [0] kind (SIGFRESH_SKEW_ADOPTED/KEPT), [1] previousMs, [2] offsetMs,
     *     [3] measuredMs}, or null when the C call says SIGFRESH_ABSENT (round trip out of order
     *     or longer than 15 minutes: nothing changed)
     */
    long[] skewObserve(long skew, long serverTimeMs, long requestSentMs, long responseReceivedMs);

    /**
     * Observes an HTTP Date header.
     *
     * @param skew the handle
     * @param date the header value
     * @param localNowMs the host clock
     * @return the measured offset (ms)
     */
    long skewObserveDateHeader(long skew, String date, long localNowMs);

    /**
     * Forgets the learned offset.
     *
     * @param skew the handle
     */
    void skewReset(long skew);

    /**
     * Whether an error code/status is a clock-skew error ({@code sigfresh_skew_is_skew_error}).
     *
     * @param code the AWS error code; nullable (none)
     * @param status the HTTP status
     * @param measuredOffsetMs a measured offset or {@link #ABSENT_TIME}
     * @return {@code SIGFRESH_SKEW_VERDICT_*}
     */
    int skewIsSkewError(String code, int status, long measuredOffsetMs);
}
