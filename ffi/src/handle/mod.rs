//! What every exported function shares: the panic boundary, the error value, opaque handles
//! with a type tag checked before use and cleared on free, and checked conversions of C
//! pointers, lengths and text.
//!
//! A handle is a `Box<Shell<T>>` given to C as a raw pointer to an opaque marker type. The shell
//! starts with a 64-bit tag naming its type. `_free` flips the tag to the type's "freed" value,
//! drops the value (secrets are zeroized by their own `Drop`) and keeps the emptied shell in a
//! per-thread quarantine of the last [`QUARANTINE`] frees, so a use after free or a double free
//! reads a valid tag and returns `SIGFRESH_HANDLE_FREED` instead of touching freed memory.

use crate::result::*;
use core::fmt::Display;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

mod convert;
pub(crate) use convert::*;
pub use convert::{sigfresh_bytes, sigfresh_pair, sigfresh_str};

/// A failed call: the code returned and the detail kept for `sigfresh_last_error_message`.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) code: sigfresh_result,
    pub(crate) detail: Cow<'static, str>,
}

impl Error {
    pub(crate) fn new(code: sigfresh_result, detail: impl Into<Cow<'static, str>>) -> Self {
        Error {
            code,
            detail: detail.into(),
        }
    }
    pub(crate) fn null(arg: impl Display) -> Self {
        Error::new(SIGFRESH_NULL_PARAMETER, format!("`{arg}` is NULL"))
    }
    pub(crate) fn absent(what: &'static str) -> Self {
        Error::new(SIGFRESH_ABSENT, format!("{what}: not present"))
    }
    pub(crate) fn invalid(arg: impl Display, why: impl Display) -> Self {
        Error::new(SIGFRESH_INVALID_ARGUMENT, format!("`{arg}`: {why}"))
    }
    pub(crate) fn index(arg: impl Display, index: usize, count: usize) -> Self {
        Error::new(
            SIGFRESH_INDEX_OUT_OF_RANGE,
            format!("`{arg}` is {index}, the count is {count}"),
        )
    }
}

pub(crate) type Res<T = ()> = Result<T, Error>;

/// Runs `f` inside the panic boundary: `SIGFRESH_OK`, the error's code (recording its detail),
/// or `SIGFRESH_PANIC`.
pub(crate) fn boundary(f: impl FnOnce() -> Res) -> sigfresh_result {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => SIGFRESH_OK,
        Ok(Err(e)) => {
            set_last_error(&e.detail);
            e.code
        }
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            set_last_error(&format!(
                "internal error (panic caught at the C boundary): {msg}"
            ));
            SIGFRESH_PANIC
        }
    }
}

/// An opaque C type and the Rust value behind it.
pub(crate) trait Handle: 'static {
    /// The value the handle owns.
    type Inner: 'static;
    /// The live tag; `MAGIC ^ FREED_FLIP` marks a freed handle of this type.
    const MAGIC: u64;
    /// The C type name, for messages.
    const NAME: &'static str;
}

const FREED_FLIP: u64 = 0xFFFF_0000_0000_0000;
/// How many freed shells each thread keeps before really releasing the oldest.
pub(crate) const QUARANTINE: usize = 1024;

#[repr(C)]
struct Shell<T> {
    magic: AtomicU64,
    value: Option<T>,
}

/// An emptied shell in the quarantine. Kept as a raw pointer, not a `Box`: a `Box` asserts
/// unique ownership, and a later use-after-free check reads the tag through the pointer C
/// still holds — through a `Box` that read would invalidate the box (Stacked Borrows).
struct Quarantined {
    shell: *mut (),
    release: unsafe fn(*mut ()),
}

impl Drop for Quarantined {
    fn drop(&mut self) {
        // SAFETY: `shell` came from `Box::into_raw` of the type `release` was made for, and
        // the quarantine drops each entry once.
        unsafe { (self.release)(self.shell) }
    }
}

/// Releases a shell made by [`into_handle`] for values of type `T`.
///
/// # Safety
/// `shell` is a `Box<Shell<T>>` turned into a raw pointer, released once.
unsafe fn release_shell<T>(shell: *mut ()) {
    // SAFETY: per the contract.
    drop(unsafe { Box::from_raw(shell.cast::<Shell<T>>()) });
}

thread_local! {
    static FREED: RefCell<VecDeque<Quarantined>> = const { RefCell::new(VecDeque::new()) };
}

fn quarantine(shell: Quarantined) {
    let mut slot = Some(shell);
    let evicted = FREED
        .try_with(|q| {
            let mut q = q.try_borrow_mut().ok()?;
            let old = if q.len() >= QUARANTINE {
                q.pop_front()
            } else {
                None
            };
            q.push_back(slot.take()?);
            old
        })
        .ok()
        .flatten();
    // Dropped outside the borrow; `slot` is still full if the thread is exiting.
    drop(evicted);
    drop(slot);
}

/// Moves `value` into a new handle.
pub(crate) fn into_handle<H: Handle>(value: H::Inner) -> *mut H {
    Box::into_raw(Box::new(Shell {
        magic: AtomicU64::new(H::MAGIC),
        value: Some(value),
    }))
    .cast()
}

fn check_tag<H: Handle>(tag: u64, arg: &str) -> Res {
    if tag == H::MAGIC {
        Ok(())
    } else if tag == H::MAGIC ^ FREED_FLIP {
        Err(Error::new(
            SIGFRESH_HANDLE_FREED,
            format!("`{arg}`: this {} was already freed", H::NAME),
        ))
    } else {
        Err(Error::new(
            SIGFRESH_INVALID_HANDLE,
            format!("`{arg}` is not a live {} handle", H::NAME),
        ))
    }
}

/// A live tag over an emptied shell cannot happen (the value is taken only after the tag is
/// flipped); reported as an invalid handle all the same.
fn emptied<H: Handle>(arg: &str) -> Error {
    Error::new(
        SIGFRESH_INVALID_HANDLE,
        format!("`{arg}` is not a live {} handle", H::NAME),
    )
}

/// Borrows the value behind a handle after checking it is a live handle of type `H`.
///
/// # Safety
/// `p` is NULL or points to memory at least 8 bytes long that is readable, 8-aligned, and
/// (for the check to be meaningful) was returned by this library as a handle and not released
/// from the quarantine. The value must not be mutated or freed while the borrow lives.
pub(crate) unsafe fn get<'a, H: Handle>(p: *const H, arg: &str) -> Res<&'a H::Inner> {
    if p.is_null() {
        return Err(Error::null(arg));
    }
    let shell = p.cast::<Shell<H::Inner>>();
    // SAFETY: per this function's contract `p` points to a `Shell<H::Inner>` (or at least to a
    // readable tag word, which is all that is read before the tag proves the type). Only the
    // tag field is borrowed until the tag is checked.
    let tag = unsafe { &*core::ptr::addr_of!((*shell).magic) };
    check_tag::<H>(tag.load(Ordering::Acquire), arg)?;
    // SAFETY: the tag proves a live `Shell<H::Inner>`; the contract rules out mutation.
    let value = unsafe { &*core::ptr::addr_of!((*shell).value) };
    value.as_ref().ok_or_else(|| emptied::<H>(arg))
}

/// Mutably borrows the value behind a handle after checking it.
///
/// # Safety
/// As [`get`], and no other reference to the handle's value exists during the borrow.
pub(crate) unsafe fn get_mut<'a, H: Handle>(p: *mut H, arg: &str) -> Res<&'a mut H::Inner> {
    if p.is_null() {
        return Err(Error::null(arg));
    }
    let shell = p.cast::<Shell<H::Inner>>();
    // SAFETY: as in [`get`]: only the tag is borrowed (shared) until it proves the type, so a
    // freed handle in the quarantine is read, never claimed uniquely.
    let tag = unsafe { &*core::ptr::addr_of!((*shell).magic) };
    check_tag::<H>(tag.load(Ordering::Acquire), arg)?;
    // SAFETY: the tag proves a live `Shell<H::Inner>`, and per the contract no one else
    // borrows its value.
    let value = unsafe { &mut *core::ptr::addr_of_mut!((*shell).value) };
    value.as_mut().ok_or_else(|| emptied::<H>(arg))
}

/// Frees a handle: NULL is a no-op; a freed or foreign handle is an error.
///
/// # Safety
/// As [`get`]; no borrow of the value may be alive on any thread.
pub(crate) unsafe fn free<H: Handle>(p: *const H) -> sigfresh_result {
    boundary(|| {
        if p.is_null() {
            return Ok(());
        }
        let shell_ptr = p.cast::<Shell<H::Inner>>().cast_mut();
        // SAFETY: per the contract the tag word is readable.
        let tag = unsafe { &(*shell_ptr).magic };
        let flipped = tag.compare_exchange(
            H::MAGIC,
            H::MAGIC ^ FREED_FLIP,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
        if let Err(now) = flipped {
            return check_tag::<H>(now, "handle");
        }
        // SAFETY: the tag was live and is now flipped by this call alone, so this call is the
        // only owner of the `Box<Shell<H::Inner>>` made by `into_handle`; per the contract no
        // borrow of the value is alive. Only the value field is borrowed, to empty it.
        drop(unsafe { (*core::ptr::addr_of_mut!((*shell_ptr).value)).take() });
        quarantine(Quarantined {
            shell: shell_ptr.cast(),
            release: release_shell::<H::Inner>,
        });
        Ok(())
    })
}

/// Ties an opaque C marker type (declared literally next to it, so cbindgen sees it) to the
/// Rust value behind it and its tag.
macro_rules! handle_impl {
    ($c:ident => $inner:ty, $magic:literal) => {
        impl $crate::handle::Handle for $c {
            type Inner = $inner;
            const MAGIC: u64 = $magic;
            const NAME: &'static str = stringify!($c);
        }
    };
}
pub(crate) use handle_impl;

#[cfg(test)]
mod tests {
    use super::*;

    /// What C cannot test without undefined behaviour of its own: misaligned arrays and
    /// lengths past `isize::MAX` are refused before any slice is made.
    #[test]
    fn misaligned_and_oversized_inputs_are_refused() {
        let pairs = [sigfresh_pair::of("a", "b"); 2];
        let misaligned = pairs
            .as_ptr()
            .cast::<u8>()
            .wrapping_add(1)
            .cast::<sigfresh_pair>();
        // SAFETY: the pointer is rejected before it is read.
        let r = unsafe { slice(misaligned, 1, "pairs") };
        assert_eq!(r.err().map(|e| e.code), Some(SIGFRESH_INVALID_ARGUMENT));
        // SAFETY: rejected by length before it is read.
        let r = unsafe { text(c"x".as_ptr(), usize::MAX, "text") };
        assert_eq!(r.err().map(|e| e.code), Some(SIGFRESH_LENGTH_TOO_LARGE));
        // SAFETY: rejected by length before it is read.
        let r = unsafe { slice(pairs.as_ptr(), usize::MAX / 16, "pairs") };
        assert_eq!(r.err().map(|e| e.code), Some(SIGFRESH_LENGTH_TOO_LARGE));
        let mut n = 0usize;
        // SAFETY: `n` is a valid output; the buffer is NULL with a non-zero length.
        let r = unsafe { out_buf(core::ptr::null_mut(), 4, &mut n, "len_out") };
        assert_eq!(r.err().map(|e| e.code), Some(SIGFRESH_NULL_PARAMETER));
    }

    pub struct marker_a {
        _private: [u8; 0],
    }
    handle_impl!(marker_a => String, 0x5347_4652_5445_5341);
    pub struct marker_b {
        _private: [u8; 0],
    }
    handle_impl!(marker_b => u64, 0x5347_4652_5445_5342);

    #[test]
    fn tags_catch_use_after_free_double_free_and_wrong_types() {
        let a = into_handle::<marker_a>("value".to_owned());
        // SAFETY: `a` is a live handle of this library.
        assert_eq!(
            unsafe { get(a, "a") }.map(String::as_str).ok(),
            Some("value")
        );
        // SAFETY: as above; `marker_b` reads only the tag before refusing.
        let wrong = unsafe { get(a.cast::<marker_b>(), "b") };
        assert_eq!(wrong.err().map(|e| e.code), Some(SIGFRESH_INVALID_HANDLE));
        // SAFETY: freeing a live handle.
        assert_eq!(unsafe { free(a) }, SIGFRESH_OK);
        // SAFETY: the shell is still in this thread's quarantine.
        let after = unsafe { get(a, "a") };
        assert_eq!(after.err().map(|e| e.code), Some(SIGFRESH_HANDLE_FREED));
        // SAFETY: as above.
        assert_eq!(unsafe { free(a) }, SIGFRESH_HANDLE_FREED);
        // SAFETY: NULL is a no-op.
        assert_eq!(unsafe { free(core::ptr::null::<marker_a>()) }, SIGFRESH_OK);
    }
}
