//! A shared value replaced whole and read as a snapshot (`Arc`): the refresh cache's state and
//! the credentials' signing-key cache.
//!
//! Where there are threads this is [`arc_swap`]: reads are lock-free, so signing from many
//! threads never contends. On `wasm32` (one thread in a browser or Node; the crate is built for
//! size there) it is an `Arc` behind a [`Mutex`], with the same API and the same semantics: every
//! load sees a whole value, every store replaces it whole. The lock is held only to clone or
//! replace the `Arc`, never while the caller works on the snapshot.

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use arc_swap::{ArcSwap, ArcSwapOption};

#[cfg(target_arch = "wasm32")]
pub(crate) use single::{ArcSwap, ArcSwapOption};

#[cfg(target_arch = "wasm32")]
mod single {
    use std::sync::{Arc, Mutex, PoisonError};

    /// A value of type `T` (an `Arc` or an optional `Arc`) replaced whole.
    pub(crate) struct Swap<T>(Mutex<T>);

    /// Holds an `Arc<U>`.
    pub(crate) type ArcSwap<U> = Swap<Arc<U>>;
    /// Holds an `Option<Arc<U>>`.
    pub(crate) type ArcSwapOption<U> = Swap<Option<Arc<U>>>;

    impl<T: Clone> Swap<T> {
        /// The current snapshot.
        pub(crate) fn load(&self) -> T {
            // Nothing can be left half-written by a panic: the value is only replaced whole.
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
        }
        /// The current snapshot (the same as [`load`](Self::load) here).
        pub(crate) fn load_full(&self) -> T {
            self.load()
        }
        /// Replaces the value.
        pub(crate) fn store(&self, value: T) {
            let old = core::mem::replace(
                &mut *self.0.lock().unwrap_or_else(PoisonError::into_inner),
                value,
            );
            // The old value is dropped after the lock is released.
            drop(old);
        }
    }

    impl<U> Swap<Arc<U>> {
        pub(crate) fn from_pointee(value: U) -> Self {
            Swap(Mutex::new(Arc::new(value)))
        }
    }

    impl<U> Swap<Option<Arc<U>>> {
        pub(crate) fn empty() -> Self {
            Swap(Mutex::new(None))
        }
    }
}
