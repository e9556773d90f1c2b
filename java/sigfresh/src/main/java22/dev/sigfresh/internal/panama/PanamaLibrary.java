package dev.sigfresh.internal.panama;

import dev.sigfresh.internal.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;

/**
 * Opens a {@link SymbolLookup} over the sigfresh native library, kept open for the life of the
 * JVM (the handles in {@link C} are linked once). The file is the one the JNI binding loads
 * ({@link NativeLibrary#path()}: the {@code sigfresh.library.path} system property, else the
 * copy packed in the jar), so both bindings share one library and one set of handles.
 */
final class PanamaLibrary {
    private PanamaLibrary() {}

    private static volatile Path loaded;

    @SuppressWarnings("restricted")
    static SymbolLookup lookup() {
        Path path = NativeLibrary.path().toPath();
        SymbolLookup lookup = SymbolLookup.libraryLookup(path, Arena.global());
        loaded = path;
        return lookup;
    }

    static String describe() {
        Path p = loaded;
        return p == null ? "(not loaded)" : p.toString();
    }
}
