package dev.sigfresh.awssdk.testing;

import java.time.Instant;

/** Credentials an IMDS backend hands out: what the verifying server accepts, and until when. */
public final class IssuedCredentials {
    public final String accessKeyId;
    public final String secretAccessKey;
    public final String sessionToken;
    public final Instant expiration;

    public IssuedCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        this.expiration = expiration;
    }

    /** Generation {@code n} of a role's credentials, expiring at {@code expiration}. */
    public static IssuedCredentials generation(int n, Instant expiration) {
        String id = String.format("ASIASIGFRESHROT%05d", n);
        return new IssuedCredentials(id, "rotatingSecretKey/" + n + "/EXAMPLEKEY",
                "rotatingSessionToken" + n + "+/=", expiration);
    }

    /** The IMDS role-credentials document. */
    public String imdsDocument() {
        return "{\"Code\":\"Success\",\"LastUpdated\":\"2024-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\","
                + "\"AccessKeyId\":\"" + accessKeyId + "\",\"SecretAccessKey\":\"" + secretAccessKey + "\","
                + "\"Token\":\"" + sessionToken + "\",\"Expiration\":\"" + expiration + "\"}";
    }
}
