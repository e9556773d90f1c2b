package dev.sigfresh;

import java.util.List;
import java.util.Optional;

/**
 * Every stage of one signature, from {@link Signer#signWithStages}. The canonical request holds
 * the session token when one was signed: treat it as secret. Immutable.
 */
public final class SigningResult {
    private final String canonicalRequest;
    private final String stringToSign;
    private final String signature;
    private final String authorization;
    private final String signedUri;
    private final List<Header> headers;
    private final List<Header> queryParameters;

    SigningResult(String[] stages, List<Header> headers, List<Header> queryParameters) {
        this.canonicalRequest = stages[0];
        this.stringToSign = stages[1];
        this.signature = stages[2];
        this.authorization = stages[3];
        this.signedUri = stages[4];
        this.headers = headers;
        this.queryParameters = queryParameters;
    }

    /**
     * SigV4 task 1.
     *
     * @return the canonical request
     */
    public String canonicalRequest() {
        return canonicalRequest;
    }

    /**
     * SigV4 task 2.
     *
     * @return the string to sign
     */
    public String stringToSign() {
        return stringToSign;
    }

    /**
     * The signature, 64 lowercase hex digits.
     *
     * @return the signature
     */
    public String signature() {
        return signature;
    }

    /**
     * The Authorization header value (header signing).
     *
     * @return the value, empty when presigned
     */
    public Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    /**
     * The presigned URL.
     *
     * @return the URL, empty for header signing
     */
    public Optional<String> signedUri() {
        return Optional.ofNullable(signedUri);
    }

    /**
     * The headers to add (header signing).
     *
     * @return the headers
     */
    public List<Header> headers() {
        return headers;
    }

    /**
     * The query parameters added (presigning).
     *
     * @return the parameters as name/value pairs
     */
    public List<Header> queryParameters() {
        return queryParameters;
    }

    /** The signature only; never the canonical request (it may hold a token). */
    @Override
    public String toString() {
        return "SigningResult[signature=" + signature + "]";
    }
}
