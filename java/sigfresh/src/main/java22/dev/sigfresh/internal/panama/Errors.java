package dev.sigfresh.internal.panama;

import dev.sigfresh.SigfreshException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Turns a failed result code into a {@link SigfreshException} carrying the code, its
 * {@code sigfresh_result_name} and the {@code sigfresh_last_error_message} detail of the
 * calling thread (read right after the failed call, before any other library call).
 */
final class Errors {
    private Errors() {}

    static final int OK = 0;
    static final int NULL_PARAMETER = 1;
    static final int INVALID_UTF8 = 2;
    static final int BUFFER_TOO_SMALL = 3;
    static final int INVALID_HANDLE = 4;
    static final int HANDLE_FREED = 5;
    static final int INVALID_ARGUMENT = 8;
    static final int ABSENT = 9;
    static final int NOT_FOUND = 11;

    /** The exception for {@code code}, with the calling thread's last-error detail. */
    static SigfreshException error(int code) {
        return new SigfreshException(code, name(code), lastErrorMessage());
    }

    /** An exception the binding raises itself (no library call failed). */
    static SigfreshException error(int code, String detail) {
        return new SigfreshException(code, name(code), detail);
    }

    /** A null Java argument that must not be null: SIGFRESH_NULL_PARAMETER naming it. */
    static SigfreshException nullArgument(String arg) {
        return error(NULL_PARAMETER, "`" + arg + "` is null");
    }

    /** A required handle: 0 is SIGFRESH_NULL_PARAMETER naming it (checked before anything else). */
    static void handle(long h, String arg) {
        if (h == 0) {
            throw nullArgument(arg);
        }
    }

    /** An HTTP status as the C ABI's uint16_t; outside 0..65535 is SIGFRESH_INVALID_ARGUMENT. */
    static short status(int status) {
        if (status < 0 || status > 0xFFFF) {
            throw invalid("status", "is not 0..=65535");
        }
        return (short) status;
    }

    /** SIGFRESH_INVALID_ARGUMENT: "`arg`: why" (the JNI binding's wording). */
    static SigfreshException invalid(String arg, String why) {
        return error(INVALID_ARGUMENT, "`" + arg + "`: " + why);
    }

    static void check(int rc) {
        if (rc != OK) {
            throw error(rc);
        }
    }

    static String name(int code) {
        try {
            return Scratch.cString((long) C.sigfresh_result_name.invokeExact(code));
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    static String message(int code) {
        try {
            return Scratch.cString((long) C.sigfresh_result_message.invokeExact(code));
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** The detail of the last failed call on this thread ("" when none). */
    static String lastErrorMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment len = arena.allocate(ValueLayout.JAVA_LONG);
            long cap = 512;
            for (int attempt = 0; attempt < 4; attempt++) {
                MemorySegment buf = arena.allocate(cap);
                int rc = (int) C.sigfresh_last_error_message.invokeExact(
                    buf.address(), cap, len.address());
                long n = len.get(ValueLayout.JAVA_LONG, 0);
                if (rc == OK) {
                    return Scratch.stringAt(buf.address(), n);
                }
                if (rc != BUFFER_TOO_SMALL) {
                    return "";
                }
                cap = n;
            }
            return "";
        } catch (Throwable t) {
            throw Errors.<RuntimeException>rethrow(t);
        }
    }

    /** Rethrows {@code t} unchanged (downcalls declare Throwable but throw only unchecked). */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
