/**
 * The Panama binding ({@code java.lang.foreign}, JDK 22+) of sigfresh: {@link
 * dev.sigfresh.internal.panama.PanamaNative} implements {@link dev.sigfresh.internal.NativeApi}
 * over the C ABI of {@code include/sigfresh.h}, following {@code java/BINDING.md}. Not public API.
 *
 * <ul>
 *   <li>{@code C}: one {@code static final} downcall handle per C function. Pointers travel as
 *       {@code long} addresses (ABI-identical on the 64-bit targets), so a handle is the same
 *       number the JNI binding uses. Short functions that never block or call back are linked
 *       {@code critical}; signing a payload over 64 KiB, verification (it upcalls) and the
 *       blocking cache wait are ordinary downcalls.
 *   <li>{@code Layouts}: the header's structs as {@code StructLayout}s with explicit padding;
 *       field offsets are derived from them and checked against gcc by the tests.
 *   <li>{@code Scratch}: the per-thread native work area (a pool for virtual threads) that
 *       inputs, out-parameters and caller buffers live in, so the signing hot path allocates no
 *       native memory; larger inputs spill into a confined arena closed at the end of the call.
 *       Inputs that may be secret (credentials, documents, environment, responses) are wiped
 *       after the call.
 *   <li>{@code Errors}/{@code Calls}: {@code SigfreshException} from the result code, its name
 *       and the thread's last-error detail; caller-buffer retries; ABSENT as a Java absent value.
 *   <li>{@code PanamaSigning}, {@code PanamaRefresh}, {@code PanamaMisc}: the composite calls
 *       of BINDING.md. Java strings are encoded as UTF-8; an unpaired surrogate is
 *       {@code SIGFRESH_INVALID_UTF8}, never replaced.
 * </ul>
 *
 * <p>Run with {@code --enable-native-access=ALL-UNNAMED} (the jar's manifest says so for
 * {@code java -jar}); without it the JDK prints a warning on first use.
 */
package dev.sigfresh.internal.panama;
