//! A vector that lives on the stack up to `N` items and spills to the heap beyond: the signer's
//! per-request lists (headers, query pairs, path segments) cost no allocation for ordinary
//! requests.

use crate::prelude::*;
pub(crate) struct StackVec<T: Copy + Default, const N: usize> {
    inline: [T; N],
    len: usize,
    /// Once set, every item lives in `spill` (even if pops empty it again).
    spilled: bool,
    spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> StackVec<T, N> {
    #[inline]
    pub(crate) fn new() -> Self {
        StackVec {
            inline: [T::default(); N],
            len: 0,
            spilled: false,
            spill: Vec::new(),
        }
    }
    #[inline]
    pub(crate) fn push(&mut self, v: T) {
        match self.inline.get_mut(self.len) {
            Some(slot) if !self.spilled => {
                *slot = v;
                self.len += 1;
            }
            _ => self.push_spilled(v),
        }
    }
    #[cold]
    fn push_spilled(&mut self, v: T) {
        if !self.spilled {
            self.spill.extend_from_slice(&self.inline[..self.len]);
            self.spilled = true;
        }
        self.spill.push(v);
    }
    pub(crate) fn pop(&mut self) {
        if self.spilled {
            self.spill.pop();
        } else {
            self.len = self.len.saturating_sub(1);
        }
    }
    #[inline]
    pub(crate) fn as_slice(&self) -> &[T] {
        if self.spilled {
            &self.spill
        } else {
            self.inline.get(..self.len).unwrap_or(&[])
        }
    }
    #[inline]
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        if self.spilled {
            &mut self.spill
        } else {
            self.inline.get_mut(..self.len).unwrap_or(&mut [])
        }
    }
}

/// Stable sort without allocation for short slices (insertion sort); a merge sort beyond.
pub(crate) fn stable_sort_by<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    if v.len() > 32 {
        long_sort(v, &less);
    } else {
        insertion_sort(v, &less);
    }
}

fn insertion_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && less(&x, &v[j - 1]) {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// The standard library's stable sort (fastest on long inputs).
#[cfg(not(target_arch = "wasm32"))]
fn long_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    v.sort_by(|a, b| {
        if less(a, b) {
            core::cmp::Ordering::Less
        } else if less(b, a) {
            core::cmp::Ordering::Greater
        } else {
            core::cmp::Ordering::Equal
        }
    });
}

/// On wasm32 the package is built for size: [`merge_sort`] is a few hundred bytes where the
/// standard library's sort is several kilobytes per element type.
#[cfg(target_arch = "wasm32")]
fn long_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    merge_sort(v, less);
}

/// A stable bottom-up merge sort: runs of 32 sorted by insertion, then merged pairwise through
/// one scratch copy (O(n log n) comparisons, one allocation).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn merge_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    const RUN: usize = 32;
    let n = v.len();
    for run in v.chunks_mut(RUN) {
        insertion_sort(run, less);
    }
    let mut buf = v.to_vec();
    let mut width = RUN;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (mid + width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Ties take the left item: stable.
                if less(&v[j], &v[i]) {
                    buf[k] = v[j];
                    j += 1;
                } else {
                    buf[k] = v[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - i)].copy_from_slice(&v[i..mid]);
            k += mid - i;
            buf[k..end].copy_from_slice(&v[j..end]);
            start = end;
        }
        v.copy_from_slice(&buf);
        width *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_and_sorts_stably() {
        let mut v: StackVec<(u8, u32), 4> = StackVec::new();
        for i in 0..40u32 {
            v.push(((i % 3) as u8, i));
        }
        v.pop();
        assert_eq!(v.as_slice().len(), 39);
        stable_sort_by(v.as_mut_slice(), |a, b| a.0 < b.0);
        let s = v.as_slice();
        assert!(s
            .windows(2)
            .all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
        // Popping a spilled vector back below `N` keeps reading the spill.
        let mut v: StackVec<u32, 4> = StackVec::new();
        for i in 0..6 {
            v.push(i);
        }
        for _ in 0..6 {
            v.pop();
        }
        assert!(v.as_slice().is_empty());
        v.push(9);
        assert_eq!(v.as_slice(), [9]);
        let mut small = [(1u8, 0u32), (0, 1), (1, 2), (0, 3)];
        stable_sort_by(&mut small, |a, b| a.0 < b.0);
        assert_eq!(small, [(0, 1), (0, 3), (1, 0), (1, 2)]);
    }

    #[test]
    fn merge_sort_is_stable_and_agrees_with_the_standard_sort() {
        // The wasm32 path, checked here against `sort_by_key` (stable) on lengths around the
        // run and merge boundaries, with many equal keys.
        let mut seed = 0x2545_f491_u32;
        for n in [0, 1, 31, 32, 33, 63, 64, 65, 100, 257, 1000] {
            let mut v: Vec<(u8, u32)> = (0..n)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    ((seed % 7) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|p| p.0);
            merge_sort(&mut v, &|a: &(u8, u32), b: &(u8, u32)| a.0 < b.0);
            assert_eq!(v, expected, "n = {n}");
        }
    }
}
