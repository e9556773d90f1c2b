package dev.sigfresh;

/**
 * A failure reported by the sigfresh core: a stable numeric {@linkplain #code() code} (the C ABI's
 * {@code SIGFRESH_*} result numbers, never reused), its {@linkplain #codeName() name} and the
 * core's detail, which names the field, byte offset or line that was wrong and never contains a
 * secret value.
 *
 * <p>Unchecked: most failures are programming or configuration errors the caller cannot act on
 * at the call site. Callers that can act (a source that is unavailable, a signature that does not
 * verify) test {@link #code()}.
 */
public class SigfreshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String codeName;
    private final String detail;

    /**
     * Creates an exception; bindings call this with the core's result code, name and detail.
     *
     * @param code the stable result code ({@code SIGFRESH_*} number)
     * @param codeName the code's name, e.g. {@code "SIGFRESH_DOCUMENT_MISSING_FIELD"}
     * @param detail the core's detail message (never a secret); may be empty
     */
    public SigfreshException(int code, String codeName, String detail) {
        super(format(code, codeName, detail));
        this.code = code;
        this.codeName = codeName == null ? "" : codeName;
        this.detail = detail == null ? "" : detail;
    }

    private static String format(int code, String codeName, String detail) {
        String name = codeName == null || codeName.isEmpty() ? "SIGFRESH_" + code : codeName;
        return detail == null || detail.isEmpty() ? name : name + ": " + detail;
    }

    /**
     * The stable result code, one of the {@code SIGFRESH_*} numbers of {@code sigfresh.h}.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The code's name, e.g. {@code "SIGFRESH_SIGN_MISSING_HOST"}.
     *
     * @return the name
     */
    public String codeName() {
        return codeName;
    }

    /**
     * The core's detail message (field, byte offset, line; never a secret).
     *
     * @return the detail, possibly empty
     */
    public String detail() {
        return detail;
    }
}
