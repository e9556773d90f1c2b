package dev.sigfresh.internal.panama;

/**
 * Shapes shared by many C functions: caller buffers ({@code buf, buf_len, len_out}), borrowed
 * {@code sigfresh_str} outputs, and {@code SIGFRESH_ABSENT} turned into a Java "absent" value.
 */
final class Calls {
    private Calls() {}

    /** A C function filling a caller buffer. */
    @FunctionalInterface
    interface BufFn {
        int call(long buf, long bufLen, long lenOut) throws Throwable;
    }

    /** A C function writing one out-value (a sigfresh_str, an int64_t...) at an address. */
    @FunctionalInterface
    interface OutFn {
        int call(long out) throws Throwable;
    }

    private static final long FIRST_BUFFER = 256;

    /**
     * Calls {@code f} with a buffer from {@code s}, retrying once per BUFFER_TOO_SMALL with the
     * size asked for. ABSENT gives null when {@code absentIsNull}; other failures throw.
     */
    static String text(Scratch s, BufFn f, boolean absentIsNull) {
        return text(s, f, absentIsNull, FIRST_BUFFER);
    }

    /** As {@link #text(Scratch, BufFn, boolean)} with a first buffer of {@code cap} bytes. */
    static String text(Scratch s, BufFn f, boolean absentIsNull, long firstCap) {
        long cap = firstCap;
        try {
            for (;;) {
                long buf = s.alloc(cap);
                int rc = f.call(buf, cap, s.out3);
                long n = Scratch.getLong(s.out3);
                if (rc == Errors.OK) {
                    return Scratch.stringAt(buf, n);
                }
                if (rc == Errors.ABSENT && absentIsNull) {
                    return null;
                }
                if (rc != Errors.BUFFER_TOO_SMALL || n <= cap) {
                    throw Errors.error(rc);
                }
                cap = n;
            }
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** Calls {@code f} with a {@code sigfresh_str} out slot; ABSENT gives null when allowed. */
    static String str(Scratch s, OutFn f, boolean absentIsNull) {
        try {
            int rc = f.call(s.outStruct);
            if (rc == Errors.OK) {
                return Scratch.str(s.outStruct);
            }
            if (rc == Errors.ABSENT && absentIsNull) {
                return null;
            }
            throw Errors.error(rc);
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** Calls {@code f} with an 8-byte out slot and returns it; ABSENT gives {@code absent}. */
    static long i64(Scratch s, OutFn f, long absent) {
        try {
            int rc = f.call(s.out2);
            if (rc == Errors.OK) {
                return Scratch.getLong(s.out2);
            }
            if (rc == Errors.ABSENT) {
                return absent;
            }
            throw Errors.error(rc);
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** Calls {@code f} with an 8-byte out slot and returns it; every failure throws. */
    static long i64(Scratch s, OutFn f) {
        try {
            Errors.check(f.call(s.out2));
            return Scratch.getLong(s.out2);
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** Calls {@code f} with a 4-byte out slot (zeroed first) and returns it; every failure throws. */
    static int u32(Scratch s, OutFn f) {
        try {
            Scratch.putLong(s.out2, 0);
            Errors.check(f.call(s.out2));
            return Scratch.getInt(s.out2);
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** Calls {@code f} with a 1-byte bool out slot (zeroed first); every failure throws. */
    static boolean bool(Scratch s, OutFn f) {
        try {
            Scratch.putLong(s.out2, 0);
            Errors.check(f.call(s.out2));
            return Scratch.getBool(s.out2);
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /**
     * As {@link #text(Scratch, BufFn, boolean, long)} for output that may hold a secret (an
     * exposed key, a presigned URL with X-Amz-Security-Token): the native copy is wiped once
     * it has been read.
     */
    static String secretText(Scratch s, BufFn f, boolean absentIsNull, long firstCap) {
        long[] last = new long[2];
        try {
            return text(s, (b, n, l) -> {
                last[0] = b;
                last[1] = n;
                return f.call(b, n, l);
            }, absentIsNull, firstCap);
        } finally {
            Scratch.wipe(last[0], last[1]);
        }
    }
}
