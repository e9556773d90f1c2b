package dev.sigfresh.internal;

/**
 * The JNI binding (JDK 8+): each method is one native call into
 * {@code Java_dev_sigfresh_internal_JniNative_*} in the ffi crate ({@code ffi/src/jni/}).
 * Conventions: {@code java/BINDING.md}. Not public API.
 */
public final class JniNative implements NativeApi {
    /** Loads the native library (once per JVM). */
    public JniNative() {
        NativeLibrary.loadForJni();
    }

    @Override
    public String bindingName() {
        return "jni";
    }

    @Override
    public native String version();

    @Override
    public native String resultName(int code);

    @Override
    public native String resultMessage(int code);

    @Override
    public native long credentialsNew(String accessKeyId, String secretAccessKey, String sessionToken, long expiryMs, String accountId, int source);

    @Override
    public native void credentialsFree(long credentials);

    @Override
    public native String[] credentialsText(long credentials);

    @Override
    public native long[] credentialsInfo(long credentials);

    @Override
    public native String[] credentialsExpose(long credentials);

    @Override
    public native long documentParse(int format, byte[] document);

    @Override
    public native long[] documentParseAny(byte[] document);

    @Override
    public native long documentParseEnv(String[] vars);

    @Override
    public native String documentFormatName(int format);

    @Override
    public native long profileSetParse(String credentialsText, String configText);

    @Override
    public native void profileSetFree(long set);

    @Override
    public native String[] profileSetNames(long set);

    @Override
    public native String profileSetGet(long set, String profile, String key);

    @Override
    public native String profileSetSsoSessionGet(long set, String session, String key);

    @Override
    public native long profileSetCredentials(long set, String profile);

    @Override
    public native long timeParse(int kind, String text);

    @Override
    public native String timeFormat(int kind, long ms);

    @Override
    public native long signerNew(String region, String service, long[] settings, String[] headerNames);

    @Override
    public native void signerFree(long signer);

    @Override
    public String[] sign(long signer, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long credentials, long timeMs) {
        byte[] packed = JniPacked.request(method, uri, headers);
        if (packed == null) {
            // Not well-formed: the per-string call reports exactly what is wrong.
            return signStrings(signer, method, uri, headers, payloadKind, payloadData, credentials, timeMs);
        }
        byte[] out = null;
        try {
            out = signPacked(signer, packed, payloadKind, payloadData, credentials, timeMs);
            return JniPacked.pairs(out);
        } finally {
            JniPacked.wipe(packed);
            JniPacked.wipe(out);
        }
    }

    /** {@link #sign} over a request packed by {@link JniPacked#request}: one native call. */
    private native byte[] signPacked(long signer, byte[] request, int payloadKind, byte[] payloadData, long credentials, long timeMs);

    /** {@link #sign} with one JNI call per string: the path for input that is not well-formed. */
    private native String[] signStrings(long signer, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long credentials, long timeMs);

    @Override
    public String presign(long signer, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long credentials, long timeMs) {
        byte[] packed = JniPacked.request(method, uri, headers);
        if (packed == null) {
            return presignStrings(signer, method, uri, headers, payloadKind, payloadData, credentials, timeMs);
        }
        byte[] out = null;
        try {
            out = presignPacked(signer, packed, payloadKind, payloadData, credentials, timeMs);
            return JniPacked.text(out);
        } finally {
            JniPacked.wipe(packed);
            JniPacked.wipe(out);
        }
    }

    /** {@link #presign} over a request packed by {@link JniPacked#request}: one native call. */
    private native byte[] presignPacked(long signer, byte[] request, int payloadKind, byte[] payloadData, long credentials, long timeMs);

    /** {@link #presign} with one JNI call per string: the path for input that is not well-formed. */
    private native String presignStrings(long signer, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long credentials, long timeMs);

    @Override
    public native String[][] signOutput(long signer, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long credentials, long timeMs);

    @Override
    public native long verifierNew(long[] settings);

    @Override
    public native void verifierFree(long verifier);

    @Override
    public native String[] verify(long verifier, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long[] candidates, long nowMs);

    @Override
    public String[] signWithCache(long signer, long cache, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long nowMs) {
        byte[] packed = JniPacked.request(method, uri, headers);
        if (packed == null) {
            return signWithCacheStrings(signer, cache, method, uri, headers, payloadKind, payloadData, nowMs);
        }
        byte[] out = null;
        try {
            out = signWithCachePacked(signer, cache, packed, payloadKind, payloadData, nowMs);
            return out == null ? null : JniPacked.pairs(out);
        } finally {
            JniPacked.wipe(packed);
            JniPacked.wipe(out);
        }
    }

    /** {@link #signWithCache} over a request packed by {@link JniPacked#request}: one native call; null when not FRESH. */
    private native byte[] signWithCachePacked(long signer, long cache, byte[] request, int payloadKind, byte[] payloadData, long nowMs);

    /** {@link #signWithCache} with one JNI call per string: the path for input that is not well-formed. */
    private native String[] signWithCacheStrings(long signer, long cache, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, long nowMs);

    @Override
    public native String[] verifyWithLookup(long verifier, String method, String uri, String[] headers, int payloadKind, byte[] payloadData, CredentialsLookup lookup, long nowMs);

    @Override
    public native Object[] rawRequestParse(byte[] text);

    @Override
    public native long cacheNew(long[] policy);

    @Override
    public native void cacheFree(long cache);

    @Override
    public native long[] cacheGet(long cache, long nowMs);

    @Override
    public native long[] cacheCurrent(long cache, long nowMs);

    @Override
    public native long[] cacheCompleteSuccess(long cache, long lease, long credentials, long nowMs, long jitter);

    @Override
    public native long[] cacheCompleteDocument(long cache, long lease, byte[] document, long nowMs, long jitter);

    @Override
    public native long[] cacheCompleteFailure(long cache, long lease, int failureKind, long retryAfterMs, long nowMs, long jitter);

    @Override
    public native boolean cacheRelease(long cache, long lease);

    @Override
    public native long[] cacheInstall(long cache, long credentials, long nowMs, long jitter);

    @Override
    public native boolean cacheInvalidateIfCurrent(long cache, long credentials);

    @Override
    public native long cacheNextRefreshAt(long cache);

    @Override
    public native boolean cacheWaitForChange(long cache, long generation, long timeoutMs);

    @Override
    public native long cacheGeneration(long cache);

    @Override
    public native long[] cacheLastFailure(long cache);

    @Override
    public native void leaseFree(long lease);

    @Override
    public native long[] leaseInfo(long lease);

    @Override
    public native long sourceNewImds(String[] env, long profileSet, String profile);

    @Override
    public native long sourceNewContainer(String[] env);

    @Override
    public native long sourceNewChain(String[] env, String credentialsText, String configText);

    @Override
    public native void sourceFree(long source);

    @Override
    public native void sourceStart(long source, long nowMs, long jitter);

    @Override
    public native Object[] sourcePoll(long source, long nowMs);

    @Override
    public native void sourceHandleResponse(long source, long nowMs, int status, String[] headers, byte[] body);

    @Override
    public native void sourceHandleTransportError(long source, long nowMs, int error, String detail);

    @Override
    public native void sourceHandleFile(long source, long nowMs, byte[] contents);

    @Override
    public native void sourceHandleProcess(long source, long nowMs, long exitCode, byte[] stdout);

    @Override
    public native void sourceHandleResolved(long source, long nowMs, String[] addresses);

    @Override
    public native void sourceHandleIoFailure(long source, long nowMs, int action, int failure, String detail);

    @Override
    public native String sourceExplain(long source);

    @Override
    public native String[] sourceWarnings(long source);

    @Override
    public native Object[] classify(int status, String[] headers, byte[] body, long skew, long localNowMs, long credentials);

    @Override
    public native long skewNew(long thresholdMs);

    @Override
    public native void skewFree(long skew);

    @Override
    public native long[] skewInfo(long skew);

    @Override
    public native long skewCorrected(long skew, long localNowMs);

    @Override
    public native long[] skewObserve(long skew, long serverTimeMs, long requestSentMs, long responseReceivedMs);

    @Override
    public native long skewObserveDateHeader(long skew, String date, long localNowMs);

    @Override
    public native void skewReset(long skew);

    @Override
    public native int skewIsSkewError(String code, int status, long measuredOffsetMs);
}
