package dev.sigfresh.internal;

/**
 * Chooses the binding once per JVM. Not public API.
 *
 * <p>System property {@code sigfresh.binding}: {@code jni}, {@code panama}, or unset/{@code auto}.
 * Auto picks Panama on JDK 22+ when {@code dev.sigfresh.internal.panama.PanamaNative} is present
 * (the multi-release jar's {@code META-INF/versions/22}), else JNI. {@code panama} on an older JDK
 * (or without the class) is an error that says so.
 */
public final class Bindings {
    /** The system property that selects the binding. */
    public static final String PROPERTY = "sigfresh.binding";

    static final String PANAMA_CLASS = "dev.sigfresh.internal.panama.PanamaNative";

    private Bindings() {}

    private static final class Holder {
        static final NativeApi API = select();
    }

    /**
     * The binding in use.
     *
     * @return the native API
     */
    public static NativeApi api() {
        return Holder.API;
    }

    static int javaFeatureVersion() {
        String v = System.getProperty("java.specification.version", "1.8");
        if (v.startsWith("1.")) {
            v = v.substring(2);
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 8;
        }
    }

    private static NativeApi select() {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
        int feature = javaFeatureVersion();
        switch (wanted) {
            case "jni":
                return new JniNative();
            case "panama":
                if (feature < 22) {
                    throw new UnsupportedOperationException(
                            "sigfresh: " + PROPERTY + "=panama needs JDK 22 or newer; this is Java "
                                    + System.getProperty("java.version")
                                    + ". Use " + PROPERTY + "=jni (or leave it unset).");
                }
                NativeApi p = loadPanama();
                if (p == null) {
                    throw new UnsupportedOperationException(
                            "sigfresh: " + PROPERTY + "=panama but " + PANAMA_CLASS
                                    + " is not on the class path (run from the multi-release jar)");
                }
                return p;
            case "auto":
            case "":
                if (feature >= 22) {
                    NativeApi auto = loadPanama();
                    if (auto != null) {
                        return auto;
                    }
                }
                return new JniNative();
            default:
                throw new IllegalArgumentException(
                        "sigfresh: " + PROPERTY + "=" + wanted + "; expected jni, panama or auto");
        }
    }

    private static NativeApi loadPanama() {
        Class<?> c;
        try {
            c = Class.forName(PANAMA_CLASS);
        } catch (ClassNotFoundException e) {
            return null;
        }
        try {
            return (NativeApi) c.getConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException("sigfresh: cannot start the Panama binding", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sigfresh: cannot start the Panama binding", e);
        }
    }
}
