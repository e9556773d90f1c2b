package dev.sigfresh;

/** The formats of credential documents the core parses (the C ABI's {@code SIGFRESH_FORMAT_*}). */
public enum DocumentFormat {
    /** IMDS {@code security-credentials/<role>} JSON. */
    INSTANCE_METADATA(0),
    /** Container endpoint JSON (ECS, EKS Pod Identity). */
    CONTAINER(1),
    /** {@code credential_process} output JSON. */
    PROCESS(2),
    /** SSO {@code GetRoleCredentials} JSON. */
    SSO(3),
    /** STS XML ({@code AssumeRole*}, {@code GetSessionToken}, ...). */
    STS(4);

    final int code;

    DocumentFormat(int code) {
        this.code = code;
    }

    static DocumentFormat of(long code) {
        for (DocumentFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }
}
