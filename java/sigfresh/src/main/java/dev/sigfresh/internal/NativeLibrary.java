package dev.sigfresh.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Finds the native library: the file named by the system property {@code sigfresh.library.path}
 * when set, else the copy packed in the jar at {@code dev/sigfresh/native/<platform>/}, extracted
 * once per JVM to a temporary file that is deleted on exit. Not public API.
 */
public final class NativeLibrary {
    /** The system property that names the library file to use instead of the packed one. */
    public static final String PATH_PROPERTY = "sigfresh.library.path";

    private static final String[] SUPPORTED = {"linux-x86_64"};
    private static File path;
    private static boolean jniLoaded;

    private NativeLibrary() {}

    /**
     * The platform name this JVM runs on, e.g. {@code linux-x86_64}.
     *
     * @return the name
     */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux"
                : os.startsWith("mac") || os.startsWith("darwin") ? "macos"
                : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    private static String fileName(String platform) {
        if (platform.startsWith("windows")) {
            return "sigfresh_ffi.dll";
        }
        if (platform.startsWith("macos")) {
            return "libsigfresh_ffi.dylib";
        }
        return "libsigfresh_ffi.so";
    }

    /**
     * The library file, extracting it on first use.
     *
     * @return an existing file
     * @throws UnsupportedOperationException when no library is packed for this platform
     * @throws UnsatisfiedLinkError when the library cannot be extracted or the override is missing
     */
    public static synchronized File path() {
        if (path != null) {
            return path;
        }
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isEmpty()) {
            File f = new File(override);
            if (!f.isFile()) {
                throw new UnsatisfiedLinkError(
                        "sigfresh: " + PATH_PROPERTY + "=" + override + " is not a file");
            }
            path = f.getAbsoluteFile();
            return path;
        }
        String platform = platform();
        String resource = "/dev/sigfresh/native/" + platform + "/" + fileName(platform);
        InputStream in = NativeLibrary.class.getResourceAsStream(resource);
        if (in == null) {
            throw new UnsupportedOperationException(
                    "sigfresh: no native library for platform " + platform
                            + " (os.name=" + System.getProperty("os.name")
                            + ", os.arch=" + System.getProperty("os.arch")
                            + "); this jar supports " + String.join(", ", SUPPORTED)
                            + ". Build sigfresh-ffi for your platform and set -D"
                            + PATH_PROPERTY + "=/path/to/the/library");
        }
        try {
            File tmp = File.createTempFile("sigfresh-", "-" + fileName(platform));
            tmp.deleteOnExit();
            try (InputStream src = in; OutputStream out = new FileOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = src.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
            }
            path = tmp;
            return path;
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError(
                    "sigfresh: cannot extract the native library to a temporary file: " + e);
            err.initCause(e);
            throw err;
        }
    }

    /** Loads the library into the JVM for JNI ({@code System.load}), once. */
    public static synchronized void loadForJni() {
        if (!jniLoaded) {
            System.load(path().getAbsolutePath());
            jniLoaded = true;
        }
    }
}
