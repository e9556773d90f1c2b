package dev.sigfresh.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Owns one native handle for one public object: counts the calls in flight, frees the handle
 * exactly once, after {@link #close()} (or the owner becoming unreachable) and the last call
 * returning. A closed reference refuses new calls with {@link IllegalStateException}. Not public
 * API.
 */
public final class NativeRef {
    private static final long CLOSED = 1L << 62;

    private final AtomicLong state = new AtomicLong();
    private final long handle;
    private final LongConsumer free;
    private final String what;
    private final NativeCleaner.Cleanable cleanable;

    private NativeRef(Object owner, long handle, LongConsumer free, String what) {
        this.handle = handle;
        this.free = free;
        this.what = what;
        this.cleanable = owner == null ? null : NativeCleaner.register(owner, new Closer(this.state, handle, free));
    }

    /** The cleaner action: refers to the shared state only, never to the owner. */
    private static final class Closer implements Runnable {
        private final AtomicLong state;
        private final long handle;
        private final LongConsumer free;

        Closer(AtomicLong state, long handle, LongConsumer free) {
            this.state = state;
            this.handle = handle;
            this.free = free;
        }

        @Override
        public void run() {
            closeState(state, handle, free);
        }
    }

    /**
     * Wraps a new handle.
     *
     * @param owner the public object (its unreachability frees the handle); null for none
     * @param handle the handle (non-zero)
     * @param free how to free it
     * @param what the public type, for messages
     * @return the reference
     */
    public static NativeRef of(Object owner, long handle, LongConsumer free, String what) {
        return new NativeRef(owner, handle, free, what);
    }

    /**
     * Marks a call in flight.
     *
     * @return the handle
     * @throws IllegalStateException when closed
     */
    public long acquire() {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(what + " is closed");
            }
            if (state.compareAndSet(s, s + 1)) {
                return handle;
            }
        }
    }

    /** Ends a call started by {@link #acquire()}. */
    public void release() {
        long s = state.decrementAndGet();
        if (s == CLOSED) {
            freeOnce(state, handle, free);
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return whether closed
     */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Closes: new calls fail; the handle is freed when the last call in flight returns. */
    public void close() {
        if (cleanable != null) {
            cleanable.clean();
        } else {
            closeState(state, handle, free);
        }
    }

    private static void closeState(AtomicLong state, long handle, LongConsumer free) {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    freeOnce(state, handle, free);
                }
                return;
            }
        }
    }

    private static void freeOnce(AtomicLong state, long handle, LongConsumer free) {
        // CLOSED with no users -> CLOSED|FREED exactly once.
        if (state.compareAndSet(CLOSED, CLOSED | (1L << 61))) {
            free.accept(handle);
        }
    }
}
