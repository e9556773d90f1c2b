package dev.sigfresh.internal.panama;

import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeLibrary;

/**
 * The Panama ({@code java.lang.foreign}, JDK 22+) implementation of {@link NativeApi}, over the
 * C ABI of include/sigfresh.h, following java/BINDING.md. Handles are the C pointers, shared with
 * the JNI binding. Each method acquires this thread's {@link Scratch} area for its inputs and
 * outputs (no native allocation in the common case) and releases it before returning.
 *
 * <p>The work is split by concern: {@link PanamaSigning} (signer, sign/presign, verification,
 * raw requests), {@link PanamaRefresh} (cache, leases, sources) and {@link PanamaMisc}
 * (credentials, documents, profiles, time, classification, clock skew).
 */
public final class PanamaNative implements NativeApi {

    /**
     * Finds the library and links every downcall now, not at the first call. On an unsupported
     * platform this throws {@link NativeLibrary#path()}'s {@code UnsupportedOperationException}
     * naming the platform; a library that cannot be opened or lacks a symbol gives
     * {@code UnsatisfiedLinkError}.
     */
    public PanamaNative() {
        NativeLibrary.path();
        try {
            @SuppressWarnings("unused")
            long unused = (long) C.sigfresh_version.invokeExact();
        } catch (ExceptionInInitializerError e) {
            // The cause (UnsatisfiedLinkError, IllegalArgumentException...) says what is wrong.
            throw Errors.<RuntimeException>rethrow(e.getCause() != null ? e.getCause() : e);
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    // ------------------------------------------------------------------ meta

    @Override
    public String version() {
        try {
            return Scratch.cString((long) C.sigfresh_version.invokeExact());
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    @Override
    public String resultName(int code) {
        return Errors.name(code);
    }

    @Override
    public String resultMessage(int code) {
        return Errors.message(code);
    }

    @Override
    public String bindingName() {
        return "panama";
    }

    // ------------------------------------------------------------------ credentials

    @Override
    public long credentialsNew(String accessKeyId, String secretAccessKey, String sessionToken,
            long expiryMs, String accountId, int source) {
        return PanamaMisc.credentialsNew(accessKeyId, secretAccessKey, sessionToken, expiryMs, accountId, source);
    }

    @Override
    public void credentialsFree(long credentials) {
        PanamaMisc.free(C.sigfresh_credentials_free, credentials);
    }

    @Override
    public String[] credentialsText(long credentials) {
        return PanamaMisc.credentialsText(credentials);
    }

    @Override
    public long[] credentialsInfo(long credentials) {
        return PanamaMisc.credentialsInfo(credentials);
    }

    @Override
    public String[] credentialsExpose(long credentials) {
        return PanamaMisc.credentialsExpose(credentials);
    }

    // ------------------------------------------------------------------ documents

    @Override
    public long documentParse(int format, byte[] document) {
        return PanamaMisc.documentParse(format, document);
    }

    @Override
    public long[] documentParseAny(byte[] document) {
        return PanamaMisc.documentParseAny(document);
    }

    @Override
    public long documentParseEnv(String[] vars) {
        return PanamaMisc.documentParseEnv(vars);
    }

    @Override
    public String documentFormatName(int format) {
        return PanamaMisc.documentFormatName(format);
    }

    @Override
    public long profileSetParse(String credentialsText, String configText) {
        return PanamaMisc.profileSetParse(credentialsText, configText);
    }

    @Override
    public void profileSetFree(long set) {
        PanamaMisc.free(C.sigfresh_profile_set_free, set);
    }

    @Override
    public String[] profileSetNames(long set) {
        return PanamaMisc.profileSetNames(set);
    }

    @Override
    public String profileSetGet(long set, String profile, String key) {
        return PanamaMisc.profileSetGet(false, set, profile, key);
    }

    @Override
    public String profileSetSsoSessionGet(long set, String session, String key) {
        return PanamaMisc.profileSetGet(true, set, session, key);
    }

    @Override
    public long profileSetCredentials(long set, String profile) {
        return PanamaMisc.profileSetCredentials(set, profile);
    }

    // ------------------------------------------------------------------ time

    @Override
    public long timeParse(int kind, String text) {
        return PanamaMisc.timeParse(kind, text);
    }

    @Override
    public String timeFormat(int kind, long ms) {
        return PanamaMisc.timeFormat(kind, ms);
    }

    // ------------------------------------------------------------------ signing

    @Override
    public long signerNew(String region, String service, long[] settings, String[] headerNames) {
        return PanamaSigning.signerNew(region, service, settings, headerNames);
    }

    @Override
    public void signerFree(long signer) {
        PanamaMisc.free(C.sigfresh_signer_free, signer);
    }

    @Override
    public String[] sign(long signer, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long credentials, long timeMs) {
        return PanamaSigning.sign(signer, method, uri, headers, payloadKind, payloadData, credentials, timeMs);
    }

    @Override
    public String presign(long signer, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long credentials, long timeMs) {
        return PanamaSigning.presign(signer, method, uri, headers, payloadKind, payloadData, credentials, timeMs);
    }

    @Override
    public String[][] signOutput(long signer, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long credentials, long timeMs) {
        return PanamaSigning.signOutput(signer, method, uri, headers, payloadKind, payloadData, credentials, timeMs);
    }

    // ------------------------------------------------------------------ verification

    @Override
    public long verifierNew(long[] settings) {
        return PanamaSigning.verifierNew(settings);
    }

    @Override
    public void verifierFree(long verifier) {
        PanamaMisc.free(C.sigfresh_verifier_free, verifier);
    }

    @Override
    public String[] verify(long verifier, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, long[] candidates, long nowMs) {
        return PanamaSigning.verify(verifier, method, uri, headers, payloadKind, payloadData, candidates, nowMs);
    }

    @Override
    public String[] verifyWithLookup(long verifier, String method, String uri, String[] headers, int payloadKind,
            byte[] payloadData, CredentialsLookup lookup, long nowMs) {
        return PanamaSigning.verifyWithLookup(verifier, method, uri, headers, payloadKind, payloadData, lookup, nowMs);
    }

    @Override
    public Object[] rawRequestParse(byte[] text) {
        return PanamaSigning.rawRequestParse(text);
    }

    // ------------------------------------------------------------------ refresh

    @Override
    public long cacheNew(long[] policy) {
        return PanamaRefresh.cacheNew(policy);
    }

    @Override
    public void cacheFree(long cache) {
        PanamaMisc.free(C.sigfresh_credential_cache_free, cache);
    }

    @Override
    public long[] cacheGet(long cache, long nowMs) {
        return PanamaRefresh.cacheGet(cache, nowMs);
    }

    @Override
    public long[] cacheCurrent(long cache, long nowMs) {
        return PanamaRefresh.cacheCurrent(cache, nowMs);
    }

    @Override
    public long[] cacheCompleteSuccess(long cache, long lease, long credentials, long nowMs, long jitter) {
        return PanamaRefresh.cacheCompleteSuccess(cache, lease, credentials, nowMs, jitter);
    }

    @Override
    public long[] cacheCompleteDocument(long cache, long lease, byte[] document, long nowMs, long jitter) {
        return PanamaRefresh.cacheCompleteDocument(cache, lease, document, nowMs, jitter);
    }

    @Override
    public long[] cacheCompleteFailure(long cache, long lease, int failureKind, long retryAfterMs,
            long nowMs, long jitter) {
        return PanamaRefresh.cacheCompleteFailure(cache, lease, failureKind, retryAfterMs, nowMs, jitter);
    }

    @Override
    public boolean cacheRelease(long cache, long lease) {
        return PanamaRefresh.cacheRelease(cache, lease);
    }

    @Override
    public long[] cacheInstall(long cache, long credentials, long nowMs, long jitter) {
        return PanamaRefresh.cacheInstall(cache, credentials, nowMs, jitter);
    }

    @Override
    public boolean cacheInvalidateIfCurrent(long cache, long credentials) {
        return PanamaRefresh.cacheInvalidateIfCurrent(cache, credentials);
    }

    @Override
    public long cacheNextRefreshAt(long cache) {
        return PanamaRefresh.cacheNextRefreshAt(cache);
    }

    @Override
    public boolean cacheWaitForChange(long cache, long generation, long timeoutMs) {
        return PanamaRefresh.cacheWaitForChange(cache, generation, timeoutMs);
    }

    @Override
    public long cacheGeneration(long cache) {
        return PanamaRefresh.cacheGeneration(cache);
    }

    @Override
    public long[] cacheLastFailure(long cache) {
        return PanamaRefresh.cacheLastFailure(cache);
    }

    @Override
    public void leaseFree(long lease) {
        PanamaMisc.free(C.sigfresh_lease_free, lease);
    }

    @Override
    public long[] leaseInfo(long lease) {
        return PanamaRefresh.leaseInfo(lease);
    }

    // ------------------------------------------------------------------ sources

    @Override
    public long sourceNewImds(String[] env, long profileSet, String profile) {
        return PanamaRefresh.sourceNewImds(env, profileSet, profile);
    }

    @Override
    public long sourceNewContainer(String[] env) {
        return PanamaRefresh.sourceNewContainer(env);
    }

    @Override
    public long sourceNewChain(String[] env, String credentialsText, String configText) {
        return PanamaRefresh.sourceNewChain(env, credentialsText, configText);
    }

    @Override
    public void sourceFree(long source) {
        PanamaMisc.free(C.sigfresh_source_free, source);
    }

    @Override
    public void sourceStart(long source, long nowMs, long jitter) {
        PanamaRefresh.sourceStart(source, nowMs, jitter);
    }

    @Override
    public Object[] sourcePoll(long source, long nowMs) {
        return PanamaRefresh.sourcePoll(source, nowMs);
    }

    @Override
    public void sourceHandleResponse(long source, long nowMs, int status, String[] headers, byte[] body) {
        PanamaRefresh.sourceHandleResponse(source, nowMs, status, headers, body);
    }

    @Override
    public void sourceHandleTransportError(long source, long nowMs, int error, String detail) {
        PanamaRefresh.sourceHandleTransportError(source, nowMs, error, detail);
    }

    @Override
    public void sourceHandleFile(long source, long nowMs, byte[] contents) {
        PanamaRefresh.sourceHandleFile(source, nowMs, contents);
    }

    @Override
    public void sourceHandleProcess(long source, long nowMs, long exitCode, byte[] stdout) {
        PanamaRefresh.sourceHandleProcess(source, nowMs, exitCode, stdout);
    }

    @Override
    public void sourceHandleResolved(long source, long nowMs, String[] addresses) {
        PanamaRefresh.sourceHandleResolved(source, nowMs, addresses);
    }

    @Override
    public void sourceHandleIoFailure(long source, long nowMs, int action, int failure, String detail) {
        PanamaRefresh.sourceHandleIoFailure(source, nowMs, action, failure, detail);
    }

    @Override
    public String sourceExplain(long source) {
        return PanamaRefresh.sourceExplain(source);
    }

    @Override
    public String[] sourceWarnings(long source) {
        return PanamaRefresh.sourceWarnings(source);
    }

    // ------------------------------------------------------------------ classification & skew

    @Override
    public Object[] classify(int status, String[] headers, byte[] body, long skew, long localNowMs,
            long credentials) {
        return PanamaMisc.classify(status, headers, body, skew, localNowMs, credentials);
    }

    @Override
    public long skewNew(long thresholdMs) {
        return PanamaMisc.skewNew(thresholdMs);
    }

    @Override
    public void skewFree(long skew) {
        PanamaMisc.free(C.sigfresh_clock_skew_free, skew);
    }

    @Override
    public long[] skewInfo(long skew) {
        return PanamaMisc.skewInfo(skew);
    }

    @Override
    public long skewCorrected(long skew, long localNowMs) {
        return PanamaMisc.skewCorrected(skew, localNowMs);
    }

    @Override
    public long[] skewObserve(long skew, long serverTimeMs, long requestSentMs, long responseReceivedMs) {
        return PanamaMisc.skewObserve(skew, serverTimeMs, requestSentMs, responseReceivedMs);
    }

    @Override
    public long skewObserveDateHeader(long skew, String date, long localNowMs) {
        return PanamaMisc.skewObserveDateHeader(skew, date, localNowMs);
    }

    @Override
    public void skewReset(long skew) {
        PanamaMisc.skewReset(skew);
    }

    @Override
    public int skewIsSkewError(String code, int status, long measuredOffsetMs) {
        return PanamaMisc.skewIsSkewError(code, status, measuredOffsetMs);
    }
}
