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
 * <p>Layout: the first {@link #OUT_AREA} bytes hold fixed out-parameter slots ({@link #OUT0}
 * ...); the rest is a bump allocator reset by {@link #acquire()}. Addresses are plain longs
 * (the downcalls take pointers as longs); the memory stays valid while the area is held.
 */
final class Scratch {
    /** Bytes reserved at the start for out-parameters (8-aligned slots). */
    static final int OUT_AREA = 256;
    static final long OUT0 = 0;
    static final long OUT1 = 8;
    static final long OUT2 = 16;
    static final long OUT3 = 24;
    /** A 160-byte slot for an out struct (sigfresh_step is 152 bytes, sigfresh_access 88). */
    static final long OUT_STRUCT = 64;

    private static final int INITIAL = 16 * 1024;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(() -> new Scratch(INITIAL));

    /** Every byte of the address space, to copy from borrowed library memory (restricted, once). */
    @SuppressWarnings("restricted")
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    MemorySegment seg;
    long base;
    private long top;
    private boolean busy;

    private Scratch(long capacity) {
        allocate(capacity);
    }

    private void allocate(long capacity) {
        seg = Arena.ofAuto().allocate(capacity, 16);
        base = seg.address();
    }

    static Scratch acquire() {
        Scratch s = LOCAL.get();
        if (s.busy) {
            s = new Scratch(INITIAL);
        }
        s.busy = true;
        s.top = OUT_AREA;
        return s;
    }

    void release() {
        busy = false;
    }

    /**
     * Makes sure {@code bytes} more bytes fit after the current top. Only call before anything
     * of this call has been written past the out area, or the written data is lost: callers size
     * their whole input first ({@link #reserve}).
     */
    void reserve(long bytes) {
        long need = top + bytes + 16;
        if (need > seg.byteSize()) {
            long cap = Math.max(need, seg.byteSize() * 2);
            allocate(cap);
        }
    }

    /** Bump-allocates {@code bytes} (8-aligned) and returns the offset in {@link #seg}. */
    long alloc(long bytes) {
        long at = (top + 7) & ~7L;
        if (at + bytes > seg.byteSize()) {
            // Grow, keeping what was written so far (copied into the new area).
            MemorySegment old = seg;
            long cap = Math.max(at + bytes + 16, old.byteSize() * 2);
            allocate(cap);
            MemorySegment.copy(old, 0, seg, 0, top);
        }
        top = at + bytes;
        return at;
    }

    /** The address of offset {@code off}. */
    long addr(long off) {
        return base + off;
    }

    long getLong(long off) {
        return seg.get(ValueLayout.JAVA_LONG, off);
    }

    int getInt(long off) {
        return seg.get(ValueLayout.JAVA_INT, off);
    }

    boolean getBool(long off) {
        return seg.get(ValueLayout.JAVA_BYTE, off) != 0;
    }

    void putLong(long off, long v) {
        seg.set(ValueLayout.JAVA_LONG, off, v);
    }

    void putInt(long off, int v) {
        seg.set(ValueLayout.JAVA_INT, off, v);
    }

    /** Copies bytes in and returns their offset (0-length: offset of an empty spot). */
    long putBytes(byte[] b) {
        long at = alloc(b.length);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, at, b.length);
        return at;
    }

    /** Reads {@code len} bytes at absolute address {@code address} (library memory). */
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

    /** Reads UTF-8 text of {@code len} bytes at absolute address {@code address}. */
    static String stringAt(long address, long len) {
        if (len == 0) {
            return "";
        }
        return new String(bytesAt(address, len), StandardCharsets.UTF_8);
    }

    /** Reads NUL-terminated UTF-8 text at absolute address {@code address} (null for NULL). */
    static String cString(long address) {
        if (address == 0) {
            return null;
        }
        return ALL.getString(address);
    }

    /** Reads a sigfresh_str (ptr, len) at offset {@code off} of this area as text. */
    String strAt(long off) {
        return stringAt(getLong(off + Layouts.STR_PTR), getLong(off + Layouts.STR_LEN));
    }
}
