package dev.sigfresh.internal.panama;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A per-thread native work area reused across calls, so a call allocates no native memory in
 * the common case: input structs and text are written into it, out-parameters and caller
 * buffers live in it. Calls {@linkplain #acquire() acquire} it and {@linkplain #release()
 * release} it in a finally block; a nested use on the same thread (an upcall from the verifier's
 * lookup that calls back into the library) gets a fresh, temporary area instead.
 *
 * <p>Everything is addressed by absolute address (the downcalls take pointers as longs), read
 * and written through {@link #ALL}. The first {@link #OUT_AREA} bytes hold fixed out-parameter
 * slots ({@link #out0} ...); the rest is a bump allocator reset by {@link #acquire()}. When a
 * call needs more than the area holds, the excess comes from a confined arena closed by
 * {@link #release()}, so an address handed out stays valid until then (nothing moves).
 */
final class Scratch {
    /** Bytes reserved at the start for out-parameters. */
    static final int OUT_AREA = 256;

    private static final long CAPACITY = 16 * 1024;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /**
     * Areas for virtual threads: a thread-local area each would mean native memory per virtual
     * thread, released only when the GC notices, so they share a small pool instead.
     */
    private static final java.util.concurrent.ConcurrentLinkedQueue<Scratch> POOL =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger POOLED =
        new java.util.concurrent.atomic.AtomicInteger();
    private static final int POOL_MAX = 64;

    /** Every byte of the address space, to read and write native memory by address. */
    @SuppressWarnings("restricted")
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    /** Out slots: 8-byte slots at the start of the area. */
    final long out0;
    final long out1;
    final long out2;
    final long out3;
    /** A 160-byte slot for an out struct (sigfresh_step is 152 bytes, sigfresh_access 88). */
    final long outStruct;

    private final long base;
    private final long end;
    /** Keeps the area's memory reachable as long as this object is. */
    private final MemorySegment segment;
    private long top;
    private boolean busy;
    /** Taken from {@link #POOL} (a virtual thread's): goes back there on release. */
    private boolean pooled;
    private Arena overflow;
    /** Overflow allocations of this call (address, size pairs), for {@link #wipeAll()}. */
    private long[] overflowUsed = new long[8];
    private int overflowCount;
    /** The length in bytes of the last text written by {@link #text}. */
    long lastLen;

    private Scratch() {
        // Kept alive by the thread-local (or the caller, for a nested one); freed by the GC.
        MemorySegment seg = Arena.ofAuto().allocate(CAPACITY, 16);
        base = seg.address();
        end = base + CAPACITY;
        out0 = base;
        out1 = base + 8;
        out2 = base + 16;
        out3 = base + 24;
        outStruct = base + 64;
        segment = seg;
    }

    static Scratch acquire() {
        Scratch s;
        if (Thread.currentThread().isVirtual()) {
            s = POOL.poll();
            if (s != null) {
                POOLED.decrementAndGet();
            } else {
                s = new Scratch();
            }
            s.pooled = true;
        } else {
            s = LOCAL.get();
            if (s.busy) {
                s = new Scratch();
            }
        }
        s.busy = true;
        s.top = s.base + OUT_AREA;
        return s;
    }

    /** Zeroes everything this call wrote (inputs that may hold secrets). */
    void wipeAll() {
        wipe(base, top - base);
        for (int i = 0; i < overflowCount; i += 2) {
            wipe(overflowUsed[i], overflowUsed[i + 1]);
        }
    }

    void release() {
        busy = false;
        overflowCount = 0;
        if (overflow != null) {
            Arena a = overflow;
            overflow = null;
            a.close();
        }
        if (pooled && POOLED.incrementAndGet() <= POOL_MAX) {
            POOL.offer(this);
        } else if (pooled) {
            POOLED.decrementAndGet();
        }
    }

    /** Allocates {@code bytes} (8-aligned, at least 1 byte) and returns the absolute address. */
    long alloc(long bytes) {
        long at = (top + 7) & ~7L;
        long size = Math.max(bytes, 1);
        if (at + size <= end) {
            top = at + size;
            return at;
        }
        if (overflow == null) {
            overflow = Arena.ofConfined();
        }
        long address = overflow.allocate(size, 8).address();
        if (overflowCount + 2 > overflowUsed.length) {
            overflowUsed = java.util.Arrays.copyOf(overflowUsed, overflowUsed.length * 2);
        }
        overflowUsed[overflowCount++] = address;
        overflowUsed[overflowCount++] = size;
        return address;
    }

    static long getLong(long address) {
        return ALL.get(LONG, address);
    }

    static int getInt(long address) {
        return ALL.get(INT, address);
    }

    static boolean getBool(long address) {
        return ALL.get(ValueLayout.JAVA_BYTE, address) != 0;
    }

    static void putLong(long address, long v) {
        ALL.set(LONG, address, v);
    }

    static void putInt(long address, int v) {
        ALL.set(INT, address, v);
    }

    static void putByte(long address, byte v) {
        ALL.set(ValueLayout.JAVA_BYTE, address, v);
    }

    /**
     * Writes {@code s} as UTF-8 and returns its address; {@link #lastLen} is its length. An
     * unpaired UTF-16 surrogate cannot be encoded: {@code SIGFRESH_INVALID_UTF8} naming
     * {@code arg} and the char index (never the text). Null: {@code SIGFRESH_NULL_PARAMETER}.
     */
    long text(String s, String arg) {
        if (s == null) {
            throw Errors.nullArgument(arg);
        }
        return encode(s, arg, -1);
    }

    private long encode(String s, String arg, int index) {
        // String.getBytes(UTF_8) is intrinsic-fast but writes '?' for an unpaired surrogate, so
        // the result is checked: same length as the string means every char was ASCII or an
        // unpaired surrogate turned into '?' (checked at each '?'); a longer result means
        // non-ASCII text, scanned for unpaired surrogates.
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = s.length();
        if (b.length == n) {
            for (int i = 0; i < n; i++) {
                if (b[i] == '?' && s.charAt(i) != '?') {
                    throw unpaired(arg, index, i);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i++;
                    } else {
                        throw unpaired(arg, index, i);
                    }
                }
            }
        }
        lastLen = b.length;
        return putBytes(b);
    }

    private static RuntimeException unpaired(String arg, int index, int at) {
        String where = index < 0 ? arg : arg + "[" + index + "]";
        return Errors.error(Errors.INVALID_UTF8, "`" + where + "`: unpaired UTF-16 surrogate at char index " + at);
    }

    /** As {@link #text}, but null gives address 0 (the C ABI's "none"), {@link #lastLen} 0. */
    long textOrNull(String s, String arg) {
        if (s == null) {
            lastLen = 0;
            return 0;
        }
        return text(s, arg);
    }

    /**
     * Writes flat name/value pairs as a {@code sigfresh_pair} array and returns its address
     * (count = {@code flat.length / 2}). Odd length: {@code SIGFRESH_INVALID_ARGUMENT}.
     */
    long pairs(String[] flat, String arg) {
        if (flat == null) {
            throw Errors.nullArgument(arg);
        }
        if ((flat.length & 1) != 0) {
            throw Errors.invalid(arg, "has an odd length (expected name/value pairs)");
        }
        int count = flat.length >> 1;
        long arr = alloc(count * Layouts.PAIR_SIZE);
        for (int i = 0; i < count; i++) {
            long pair = arr + i * Layouts.PAIR_SIZE;
            long name = text(flat[2 * i], arg, 2 * i);
            putLong(pair + Layouts.PAIR_NAME, name);
            putLong(pair + Layouts.PAIR_NAME_LEN, lastLen);
            long value = text(flat[2 * i + 1], arg, 2 * i + 1);
            putLong(pair + Layouts.PAIR_VALUE, value);
            putLong(pair + Layouts.PAIR_VALUE_LEN, lastLen);
        }
        return arr;
    }

    /** Writes a list of text as a {@code sigfresh_str} array and returns its address. */
    long strs(String[] list, String arg) {
        if (list == null) {
            throw Errors.nullArgument(arg);
        }
        long arr = alloc(list.length * Layouts.STR_SIZE);
        for (int i = 0; i < list.length; i++) {
            long at = text(list[i], arg, i);
            putLong(arr + i * Layouts.STR_SIZE + Layouts.STR_PTR, at);
            putLong(arr + i * Layouts.STR_SIZE + Layouts.STR_LEN, lastLen);
        }
        return arr;
    }

    private long text(String s, String arg, int index) {
        if (s == null) {
            throw Errors.nullArgument(arg + "[" + index + "]");
        }
        return encode(s, arg, index);
    }

    /** Copies bytes in (null: the empty input) and returns their address; {@link #lastLen} is the length. */
    long bytesOrEmpty(byte[] b) {
        if (b == null || b.length == 0) {
            lastLen = 0;
            return 0;
        }
        lastLen = b.length;
        return putBytes(b);
    }

    /** Zeroes {@code len} bytes at {@code address} (secret inputs and outputs, after the call). */
    static void wipe(long address, long len) {
        if (address != 0 && len > 0) {
            ALL.asSlice(address, len).fill((byte) 0);
        }
    }

    /** Copies bytes in and returns their address. */
    long putBytes(byte[] b) {
        long at = alloc(b.length);
        MemorySegment.copy(b, 0, ALL, ValueLayout.JAVA_BYTE, at, b.length);
        return at;
    }

    /** Reads {@code len} bytes at {@code address} (library memory). */
    static byte[] bytesAt(long address, long len) {
        if (len == 0) {
            return new byte[0];
        }
        if (len > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("sigfresh: a " + len + "-byte result does not fit in a Java array");
        }
        byte[] out = new byte[(int) len];
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, address, out, 0, (int) len);
        return out;
    }

    /** Reads UTF-8 text of {@code len} bytes at {@code address}. */
    static String stringAt(long address, long len) {
        if (len == 0) {
            return "";
        }
        return new String(bytesAt(address, len), StandardCharsets.UTF_8);
    }

    /** Reads NUL-terminated UTF-8 text at {@code address} (null for NULL). */
    static String cString(long address) {
        if (address == 0) {
            return null;
        }
        return ALL.getString(address);
    }

    /** Reads a sigfresh_str (ptr, len) at {@code address} as text. */
    static String str(long address) {
        return stringAt(getLong(address + Layouts.STR_PTR), getLong(address + Layouts.STR_LEN));
    }
}
