package dev.sigfresh;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a request that verified was signed with: the access key id, the credential scope's
 * region and service, when it was signed, when a presigned URL expires and which headers the
 * signature covers. Immutable.
 */
public final class VerifiedRequest {
    private final String accessKeyId;
    private final String region;
    private final String service;
    private final Instant signedAt;
    private final Instant expiresAt;
    private final List<String> signedHeaders;

    VerifiedRequest(String[] r) {
        this.accessKeyId = r[0];
        this.region = r[1];
        this.service = r[2];
        this.signedAt = Instant.ofEpochMilli(Long.parseLong(r[3]));
        this.expiresAt = r[4] == null ? null : Instant.ofEpochMilli(Long.parseLong(r[4]));
        this.signedHeaders = Collections.unmodifiableList(Arrays.asList(Arrays.copyOfRange(r, 5, r.length)));
    }

    /**
     * The access key id that signed.
     *
     * @return the id
     */
    public String accessKeyId() {
        return accessKeyId;
    }

    /**
     * The region of the credential scope.
     *
     * @return e.g. {@code "us-east-1"}
     */
    public String region() {
        return region;
    }

    /**
     * The service of the credential scope.
     *
     * @return e.g. {@code "execute-api"}
     */
    public String service() {
        return service;
    }

    /**
     * When the request was signed ({@code x-amz-date}).
     *
     * @return the signing time
     */
    public Instant signedAt() {
        return signedAt;
    }

    /**
     * When a presigned URL stops being valid; empty for a header-signed request.
     *
     * @return the expiry
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * The signed header names, lowercase, as the request lists them.
     *
     * @return the names
     */
    public List<String> signedHeaders() {
        return signedHeaders;
    }

    @Override
    public String toString() {
        return "VerifiedRequest[accessKeyId=" + accessKeyId + ", region=" + region + ", service=" + service
                + ", signedAt=" + signedAt + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
                + ", signedHeaders=" + signedHeaders + "]";
    }
}
