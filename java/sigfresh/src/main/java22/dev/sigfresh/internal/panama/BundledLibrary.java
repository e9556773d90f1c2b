package dev.sigfresh.internal.panama;

import java.nio.file.Path;

/** The library bundled in the jar, as extracted by the shared loader. */
final class BundledLibrary {
    private BundledLibrary() {}

    static Path path() {
        throw new UnsatisfiedLinkError(
            "sigfresh: the bundled native library loader is not wired into the Panama binding yet; "
                + "set -D" + PanamaLibrary.PATH_PROPERTY + "=/path/to/libsigfresh_ffi.so");
    }
}
