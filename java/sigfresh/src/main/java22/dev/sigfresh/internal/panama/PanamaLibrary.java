package dev.sigfresh.internal.panama;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the sigfresh native library and opens a {@link SymbolLookup} over it (kept open for the
 * life of the JVM: the handles in {@link C} are linked once).
 *
 * <p>The library is the one the JNI binding uses (one .so carries both the C ABI and the JNI
 * entry points). Its path comes from the system property {@code sigfresh.library.path} when set,
 * else from the jar's own loader (which extracts the bundled library).
 */
final class PanamaLibrary {
    private PanamaLibrary() {}

    /** The system property naming the library file to load instead of the bundled one. */
    static final String PATH_PROPERTY = "sigfresh.library.path";

    private static volatile Path loaded;

    @SuppressWarnings("restricted")
    static SymbolLookup lookup() {
        Path path = locate();
        SymbolLookup lookup = SymbolLookup.libraryLookup(path, Arena.global());
        loaded = path;
        return lookup;
    }

    static String describe() {
        Path p = loaded;
        return p == null ? "(not loaded)" : p.toString();
    }

    private static Path locate() {
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            Path p = Paths.get(explicit).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new UnsatisfiedLinkError(
                    "-D" + PATH_PROPERTY + "=" + explicit + ": no such file");
            }
            return p;
        }
        return BundledLibrary.path();
    }
}
