package dev.sigfresh.internal;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A JDK 8 compatible stand-in for {@code java.lang.ref.Cleaner}: runs an action once its owner is
 * phantom reachable, on one daemon thread. Not public API.
 */
public final class NativeCleaner {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final Set<Cleanable> LIVE =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<Cleanable, Boolean>()));

    static {
        Thread t = new Thread(NativeCleaner::drain, "sigfresh-cleaner");
        t.setDaemon(true);
        t.start();
    }

    private NativeCleaner() {}

    /** A registration: {@link #clean()} runs the action at most once. */
    public static final class Cleanable extends PhantomReference<Object> {
        private Runnable action;

        Cleanable(Object owner, Runnable action) {
            super(owner, QUEUE);
            this.action = action;
        }

        /** Runs the action now (if it has not run) and unregisters. */
        public void clean() {
            Runnable a;
            synchronized (this) {
                a = action;
                action = null;
            }
            LIVE.remove(this);
            clear();
            if (a != null) {
                a.run();
            }
        }
    }

    /**
     * Registers {@code action} to run when {@code owner} becomes phantom reachable. The action
     * must not refer to the owner.
     *
     * @param owner the object whose unreachability triggers the action
     * @param action what to run
     * @return the registration
     */
    public static Cleanable register(Object owner, Runnable action) {
        Cleanable c = new Cleanable(owner, action);
        LIVE.add(c);
        return c;
    }

    private static void drain() {
        while (true) {
            try {
                Reference<?> r = QUEUE.remove();
                if (r instanceof Cleanable) {
                    ((Cleanable) r).clean();
                }
            } catch (InterruptedException e) {
                // keep draining: this thread lives as long as the JVM
            } catch (Throwable t) {
                // an action failed (the handle was already freed); nothing to report to
            }
        }
    }
}
