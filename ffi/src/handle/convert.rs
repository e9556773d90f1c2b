//! Checked conversions of C pointers, lengths and text, and the small C structs that carry
//! strings and pairs across the boundary.

use super::{Error, Res};
use crate::result::*;
use core::ffi::c_char;
use core::fmt::Display;
use core::ptr::NonNull;

/// Checks the generic pointer rules for `len` elements of `T` at `ptr` (NULL only with 0).
fn check_span<T>(ptr: *const T, len: usize, arg: impl Display) -> Res<bool> {
    if len == 0 {
        return Ok(false);
    }
    if ptr.is_null() {
        return Err(Error::new(
            SIGFRESH_NULL_PARAMETER,
            format!("`{arg}` is NULL with a length of {len}"),
        ));
    }
    let bytes = len.checked_mul(core::mem::size_of::<T>());
    if bytes.is_none_or(|b| b > isize::MAX as usize) {
        return Err(Error::new(
            SIGFRESH_LENGTH_TOO_LARGE,
            format!("`{arg}`: length {len} is too large"),
        ));
    }
    if !ptr.is_aligned() {
        return Err(Error::invalid(arg, "pointer is not aligned for its type"));
    }
    Ok(true)
}

/// A slice from a C array.
///
/// # Safety
/// When `len > 0` and `ptr` is not NULL, `ptr` must be valid for reads of `len` `T`s for `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize, arg: impl Display) -> Res<&'a [T]> {
    if !check_span(ptr, len, arg)? {
        return Ok(&[]);
    }
    // SAFETY: non-null, aligned, size checked above; validity is the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A mutable slice over a caller's output array (NULL only with a length of 0).
///
/// # Safety
/// When `len > 0` and `ptr` is not NULL, `ptr` must be valid for writes of `len` `T`s for `'a`
/// and not aliased by any input.
pub(crate) unsafe fn slice_mut<'a, T>(
    ptr: *mut T,
    len: usize,
    arg: impl Display,
) -> Res<&'a mut [T]> {
    if !check_span(ptr.cast_const(), len, arg)? {
        return Ok(&mut []);
    }
    // SAFETY: non-null, aligned, size checked above; validity is the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr, len) })
}

/// Bytes from a C buffer.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, arg: impl Display) -> Res<&'a [u8]> {
    // SAFETY: forwarded contract.
    unsafe { slice(ptr, len, arg) }
}

/// Why raw text was refused, before the argument's name is attached.
enum TextError {
    Null(usize),
    TooLong(usize),
    Utf8(usize),
}

#[cold]
#[inline(never)]
fn text_error(e: TextError, arg: impl Display) -> Error {
    match e {
        TextError::Null(len) => Error::new(
            SIGFRESH_NULL_PARAMETER,
            format!("`{arg}` is NULL with a length of {len}"),
        ),
        TextError::TooLong(len) => Error::new(
            SIGFRESH_LENGTH_TOO_LARGE,
            format!("`{arg}`: length {len} is too large"),
        ),
        TextError::Utf8(at) => Error::new(
            SIGFRESH_INVALID_UTF8,
            format!("`{arg}` is not UTF-8 (byte {at})"),
        ),
    }
}

/// The checks of [`text`] without the argument name (kept small: it runs for every header
/// of every signature).
///
/// # Safety
/// As [`slice`].
#[inline]
unsafe fn raw_text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, TextError> {
    if len == 0 {
        return Ok("");
    }
    if ptr.is_null() {
        return Err(TextError::Null(len));
    }
    if len > isize::MAX as usize {
        return Err(TextError::TooLong(len));
    }
    // SAFETY: non-null, length checked (bytes need no alignment); validity is the caller's
    // contract.
    let b = unsafe { core::slice::from_raw_parts(ptr, len) };
    if b.is_ascii() {
        // SAFETY: ASCII is valid UTF-8. (`is_ascii` scans a word at a time; nearly every input
        // here is ASCII.)
        return Ok(unsafe { core::str::from_utf8_unchecked(b) });
    }
    core::str::from_utf8(b).map_err(|e| TextError::Utf8(e.valid_up_to()))
}

/// UTF-8 text from a C (pointer, length) pair.
///
/// # Safety
/// As [`slice`].
#[inline]
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, arg: impl Display) -> Res<&'a str> {
    // SAFETY: forwarded contract.
    unsafe { raw_text(ptr.cast(), len) }.map_err(|e| text_error(e, arg))
}

/// Optional UTF-8 text: NULL is `None`.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn opt_text<'a>(
    ptr: *const c_char,
    len: usize,
    arg: impl Display,
) -> Res<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { text(ptr, len, arg) }.map(Some)
}

/// An optional input pointer to one `T`: NULL is `None`; a misaligned pointer is refused.
///
/// # Safety
/// `p` is NULL or valid for a read of one `T` for `'a`.
pub(crate) unsafe fn opt_ref<'a, T>(p: *const T, arg: &str) -> Res<Option<&'a T>> {
    if p.is_null() {
        return Ok(None);
    }
    if !p.is_aligned() {
        return Err(Error::invalid(arg, "pointer is not aligned for its type"));
    }
    // SAFETY: non-null and aligned; validity is the caller's contract.
    Ok(Some(unsafe { &*p }))
}

/// A required input pointer to one `T`.
///
/// # Safety
/// As [`opt_ref`].
pub(crate) unsafe fn req_ref<'a, T>(p: *const T, arg: &str) -> Res<&'a T> {
    // SAFETY: forwarded contract.
    unsafe { opt_ref(p, arg) }?.ok_or_else(|| Error::null(arg))
}

/// A checked, non-NULL output pointer; written only on success.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    pub(crate) fn write(self, value: T) {
        // SAFETY: `out` checked the pointer is non-NULL and aligned; validity for writes is the
        // caller's contract stated on `out`.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// Checks an output pointer.
///
/// # Safety
/// `p` is NULL or valid for a write of one `T` until the returned `Out` is used.
pub(crate) unsafe fn out<T>(p: *mut T, arg: &str) -> Res<Out<T>> {
    let p = NonNull::new(p).ok_or_else(|| Error::null(arg))?;
    if !p.as_ptr().is_aligned() {
        return Err(Error::invalid(arg, "pointer is not aligned for its type"));
    }
    Ok(Out(p))
}

/// A caller buffer `(buf, buf_len)` with its length output.
pub(crate) struct OutBuf {
    buf: *mut u8,
    cap: usize,
    len_out: Out<usize>,
}

/// Checks a caller buffer; `buf` may be NULL only with `buf_len == 0` (a size query).
///
/// # Safety
/// `buf` is valid for writes of `buf_len` bytes and `len_out` for one `size_t`.
pub(crate) unsafe fn out_buf(
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
    len_arg: &str,
) -> Res<OutBuf> {
    // SAFETY: forwarded contract.
    let len_out = unsafe { out(len_out, len_arg) }?;
    check_span(buf.cast_const(), buf_len, "buf")?;
    Ok(OutBuf {
        buf: buf.cast(),
        cap: buf_len,
        len_out,
    })
}

impl OutBuf {
    /// Writes `s` and a NUL, or reports the size needed.
    pub(crate) fn write_str(self, s: &str) -> Res {
        let needed = s.len() + 1;
        if self.cap < needed {
            self.len_out.write(needed);
            return Err(Error::new(
                SIGFRESH_BUFFER_TOO_SMALL,
                format!("the buffer holds {} bytes, {needed} are needed", self.cap),
            ));
        }
        // SAFETY: `cap >= needed > 0`, so `buf` is non-NULL and valid for `needed` bytes; the
        // source is Rust-owned memory, which cannot overlap the caller's buffer.
        unsafe {
            core::ptr::copy_nonoverlapping(s.as_ptr(), self.buf, s.len());
            self.buf.add(s.len()).write(0);
        }
        self.len_out.write(s.len());
        Ok(())
    }
}

/// A borrowed UTF-8 string: `ptr` points at `len` bytes (not NUL-terminated unless a function
/// says so). Used both for inputs (lists of names) and for borrowed outputs.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_str {
    /// The first byte.
    pub ptr: *const c_char,
    /// The number of bytes.
    pub len: usize,
}

impl sigfresh_str {
    pub(crate) fn of(s: &str) -> Self {
        sigfresh_str {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }
}

/// Borrowed bytes: `ptr` points at `len` bytes.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_bytes {
    /// The first byte.
    pub ptr: *const u8,
    /// The number of bytes.
    pub len: usize,
}

/// A name/value pair of UTF-8 strings: an HTTP header or an environment variable.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_pair {
    /// The name (not NUL-terminated unless a function says so).
    pub name: *const c_char,
    /// The name's length in bytes.
    pub name_len: usize,
    /// The value.
    pub value: *const c_char,
    /// The value's length in bytes.
    pub value_len: usize,
}

impl sigfresh_pair {
    pub(crate) fn of(name: &str, value: &str) -> Self {
        sigfresh_pair {
            name: name.as_ptr().cast(),
            name_len: name.len(),
            value: value.as_ptr().cast(),
            value_len: value.len(),
        }
    }
}

/// `what[index].field`, formatted only when an error needs it.
pub(crate) struct At(pub &'static str, pub usize, pub &'static str);

impl Display for At {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}[{}].{}", self.0, self.1, self.2)
    }
}

/// Converts C name/value pairs to `(&str, &str)` into `dst` (cleared first).
///
/// # Safety
/// Every pair's pointers are valid for their lengths for `'a`.
pub(crate) unsafe fn pairs_into<'a>(
    pairs: &'a [sigfresh_pair],
    what: &'static str,
    dst: &mut Vec<(&'a str, &'a str)>,
) -> Res {
    dst.clear();
    dst.reserve(pairs.len());
    for (i, p) in pairs.iter().enumerate() {
        // SAFETY: forwarded contract.
        let name = unsafe { text(p.name, p.name_len, At(what, i, "name")) }?;
        // SAFETY: forwarded contract.
        let value = unsafe { text(p.value, p.value_len, At(what, i, "value")) }?;
        dst.push((name, value));
    }
    Ok(())
}

/// Reads an enum-like constant, naming the argument when it is unknown.
pub(crate) fn pick<T>(arg: &str, v: u32, table: &[(u32, T)]) -> Res<T>
where
    T: Copy,
{
    table
        .iter()
        .find(|(k, _)| *k == v)
        .map(|(_, t)| *t)
        .ok_or_else(|| Error::invalid(arg, format!("{v} is not one of the documented constants")))
}
