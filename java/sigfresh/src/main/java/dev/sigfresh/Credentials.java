package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * AWS credentials: an access key id, a secret access key, and for temporary credentials a session
 * token and an expiry. Immutable and thread-safe.
 *
 * <p>The values live in native memory (zeroized when released). {@link #toString()} shows the
 * access key id and the expiry, never the secret or the token. Release the native memory with
 * {@link #close()}; if you forget, it is released after the object becomes unreachable. Using
 * closed credentials throws {@link IllegalStateException}.
 */
public final class Credentials implements AutoCloseable {

    /** Where credentials came from (the C ABI's {@code SIGFRESH_CREDENTIAL_SOURCE_*}). */
    public enum Source {
        /** Given by the program. */
        STATIC(0),
        /** Environment variables. */
        ENVIRONMENT(1),
        /** A profile of the shared credentials/config files. */
        PROFILE(2),
        /** The EC2 instance metadata service. */
        INSTANCE_METADATA(3),
        /** A container credentials endpoint (ECS, EKS Pod Identity). */
        CONTAINER_ENDPOINT(4),
        /** A {@code credential_process}. */
        PROCESS(5),
        /** IAM Identity Center (SSO). */
        SSO(6),
        /** An STS response. */
        STS(7),
        /** A source this version does not know. */
        OTHER(99);

        final int code;

        Source(int code) {
            this.code = code;
        }

        static Source of(long code) {
            for (Source s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return OTHER;
        }
    }

    private final NativeRef ref;
    private volatile Fields fields;

    private static final class Fields {
        final String accessKeyId;
        final String accountId;
        final String profileName;
        final boolean hasSessionToken;
        final long expiryMs;
        final Source source;

        Fields(String[] text, long[] info) {
            accessKeyId = text[0];
            accountId = text[1];
            profileName = text[2];
            hasSessionToken = info[0] != 0;
            expiryMs = info[1];
            source = Source.of(info[2]);
        }
    }

    Credentials(long handle) {
        this.ref = NativeRef.of(this, handle, h -> Bindings.api().credentialsFree(h), "Credentials");
    }

    static NativeApi api() {
        return Bindings.api();
    }

    /**
     * Long-term credentials (no token, no expiry).
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     * @return new credentials
     * @throws NullPointerException when an argument is null
     * @throws SigfreshException when a value is empty or has characters AWS never uses
     *     ({@code SIGFRESH_CREDENTIALS_*})
     */
    public static Credentials of(String accessKeyId, String secretAccessKey) {
        return of(accessKeyId, secretAccessKey, null, null);
    }

    /**
     * Credentials with an optional session token and expiry.
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     * @param sessionToken the session token, or null
     * @param expiry when they expire, or null for never
     * @return new credentials
     * @throws NullPointerException when the key id or secret is null
     * @throws SigfreshException when a value is invalid
     */
    public static Credentials of(
            String accessKeyId, String secretAccessKey, String sessionToken, Instant expiry) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        long expiryMs = expiry == null ? NativeApi.ABSENT_TIME : expiry.toEpochMilli();
        return new Credentials(api().credentialsNew(
                accessKeyId, secretAccessKey, sessionToken, expiryMs, null, Source.STATIC.code));
    }

    /**
     * Parses a credential document: IMDS or container endpoint JSON, {@code credential_process}
     * output, an SSO {@code GetRoleCredentials} response or an STS XML response.
     *
     * @param format the format, or null to detect it
     * @param document the bytes
     * @return new credentials
     * @throws NullPointerException when {@code document} is null
     * @throws SigfreshException {@code SIGFRESH_DOCUMENT_*} naming the field, byte offset or
     *     line (never a secret)
     */
    public static Credentials parse(DocumentFormat format, byte[] document) {
        Objects.requireNonNull(document, "document");
        if (format == null) {
            long[] r = api().documentParseAny(document);
            return new Credentials(r[1]);
        }
        return new Credentials(api().documentParse(format.code, document));
    }

    /**
     * Parses a credential document given as text (UTF-8).
     *
     * @param format the format, or null to detect it
     * @param document the text
     * @return new credentials
     */
    public static Credentials parse(DocumentFormat format, String document) {
        Objects.requireNonNull(document, "document");
        return parse(format, document.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Credentials from environment variables ({@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, ...), read by the core's rules.
     *
     * @param environment the variables, e.g. {@code System.getenv()}
     * @return new credentials
     * @throws SigfreshException when the variables do not hold credentials
     */
    public static Credentials fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return new Credentials(api().documentParseEnv(flatten(environment)));
    }

    static String[] flatten(Map<String, String> map) {
        List<String> flat = new ArrayList<>(map.size() * 2);
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() != null && e.getValue() != null) {
                flat.add(e.getKey());
                flat.add(e.getValue());
            }
        }
        return flat.toArray(new String[0]);
    }

    private Fields fields() {
        Fields f = fields;
        if (f == null) {
            long h = ref.acquire();
            try {
                f = new Fields(api().credentialsText(h), api().credentialsInfo(h));
            } finally {
                ref.release();
            }
            fields = f;
        }
        return f;
    }

    /**
     * The access key id (not secret).
     *
     * @return the id
     */
    public String accessKeyId() {
        return fields().accessKeyId;
    }

    /**
     * Whether these are temporary credentials with a session token.
     *
     * @return whether a token is present
     */
    public boolean hasSessionToken() {
        return fields().hasSessionToken;
    }

    /**
     * When the credentials expire.
     *
     * @return the expiry, empty when they do not expire
     */
    public Optional<Instant> expiry() {
        long ms = fields().expiryMs;
        return ms == NativeApi.ABSENT_TIME ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
    }

    /**
     * The account id, when the source gave one.
     *
     * @return the account id
     */
    public Optional<String> accountId() {
        return Optional.ofNullable(fields().accountId);
    }

    /**
     * The profile the credentials came from, for profile credentials.
     *
     * @return the profile name
     */
    public Optional<String> profileName() {
        return Optional.ofNullable(fields().profileName);
    }

    /**
     * Where the credentials came from.
     *
     * @return the source
     */
    public Source source() {
        return fields().source;
    }

    /**
     * The secret access key, for handing to another library (e.g. an AWS SDK adapter). Never log
     * it.
     *
     * @return the secret
     */
    public String exposeSecretAccessKey() {
        return expose()[0];
    }

    /**
     * The session token, for handing to another library. Never log it.
     *
     * @return the token, empty for long-term credentials
     */
    public Optional<String> exposeSessionToken() {
        return Optional.ofNullable(expose()[1]);
    }

    private String[] expose() {
        long h = ref.acquire();
        try {
            return api().credentialsExpose(h);
        } finally {
            ref.release();
        }
    }

    /** Not public: the native reference, for the classes of this package. */
    NativeRef ref() {
        return ref;
    }

    /** Releases the native memory. Idempotent. */
    @Override
    public void close() {
        ref.close();
    }

    /**
     * The access key id, source and expiry; never the secret or the token.
     *
     * @return a description
     */
    @Override
    public String toString() {
        if (ref.isClosed() && fields == null) {
            return "Credentials[closed]";
        }
        Fields f = fields();
        StringBuilder b = new StringBuilder("Credentials[accessKeyId=").append(f.accessKeyId)
                .append(", secretAccessKey=<redacted>");
        if (f.hasSessionToken) {
            b.append(", sessionToken=<redacted>");
        }
        if (f.expiryMs != NativeApi.ABSENT_TIME) {
            b.append(", expiry=").append(Instant.ofEpochMilli(f.expiryMs));
        }
        return b.append(", source=").append(f.source).append(']').toString();
    }
}
