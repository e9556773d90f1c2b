//! A shared value replaced whole and read as a snapshot (`Arc`): the refresh cache's state and
//! the credentials' signing-key cache; and [`Lock`], the cache's writer lock.
//!
//! Where there are threads (native targets with `std`) snapshots are [`arc_swap`]: reads are
//! lock-free, so signing from many threads never contends. On `wasm32` with `std` (one thread in
//! Node; the crate is built for size there) a snapshot is an `Arc` behind a `Mutex`, with the same
//! API and the same semantics: every load sees a whole value, every store replaces it whole. The
//! lock is held only to clone or replace the `Arc`, never while the caller works on the snapshot.
//!
//! Without `std` (the browser build) there is no thread to share with: the same API over a
//! `RefCell`, so the types holding these are `!Sync`. A borrow is held only inside these
//! methods (and the writer lock only in straight-line code that never re-enters the cache), so
//! no borrow can overlap another.

#[cfg(all(feature = "std", not(target_arch = "wasm32")))]
pub(crate) use arc_swap::{ArcSwap, ArcSwapOption};

#[cfg(not(all(feature = "std", not(target_arch = "wasm32"))))]
pub(crate) use single::{ArcSwap, ArcSwapOption};

/// The cache's writer lock: a `std` mutex, or a `RefCell` without `std`.
#[cfg(feature = "std")]
pub(crate) struct Lock<T>(std::sync::Mutex<T>);

/// The guard of a [`Lock`].
#[cfg(feature = "std")]
pub(crate) type Guard<'a, T> = std::sync::MutexGuard<'a, T>;

#[cfg(feature = "std")]
impl<T> Lock<T> {
    pub(crate) const fn new(value: T) -> Self {
        Lock(std::sync::Mutex::new(value))
    }
    pub(crate) fn lock(&self) -> Guard<'_, T> {
        // A poisoned mutex only means a thread panicked while holding it. What it guards is
        // only ever replaced whole, so it is consistent whatever happened: recover the guard.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(not(feature = "std"))]
pub(crate) struct Lock<T>(core::cell::RefCell<T>);

#[cfg(not(feature = "std"))]
pub(crate) type Guard<'a, T> = core::cell::RefMut<'a, T>;

#[cfg(not(feature = "std"))]
impl<T> Lock<T> {
    pub(crate) const fn new(value: T) -> Self {
        Lock(core::cell::RefCell::new(value))
    }
    pub(crate) fn lock(&self) -> Guard<'_, T> {
        self.0.borrow_mut()
    }
}

#[cfg(not(all(feature = "std", not(target_arch = "wasm32"))))]
mod single {
    use super::Lock;
    use alloc::sync::Arc;

    /// A value of type `T` (an `Arc` or an optional `Arc`) replaced whole.
    pub(crate) struct Swap<T>(Lock<T>);

    /// Holds an `Arc<U>`.
    pub(crate) type ArcSwap<U> = Swap<Arc<U>>;
    /// Holds an `Option<Arc<U>>`.
    pub(crate) type ArcSwapOption<U> = Swap<Option<Arc<U>>>;

    impl<T: Clone> Swap<T> {
        /// The current snapshot.
        pub(crate) fn load(&self) -> T {
            self.0.lock().clone()
        }
        /// The current snapshot (the same as [`load`](Self::load) here).
        pub(crate) fn load_full(&self) -> T {
            self.load()
        }
        /// Replaces the value.
        pub(crate) fn store(&self, value: T) {
            let old = core::mem::replace(&mut *self.0.lock(), value);
            // The old value is dropped after the lock is released.
            drop(old);
        }
    }

    impl<U> Swap<Arc<U>> {
        pub(crate) fn from_pointee(value: U) -> Self {
            Swap(Lock::new(Arc::new(value)))
        }
    }

    impl<U> Swap<Option<Arc<U>>> {
        pub(crate) fn empty() -> Self {
            Swap(Lock::new(None))
        }
    }
}
