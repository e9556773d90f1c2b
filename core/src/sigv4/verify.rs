//! Verification (in progress).
