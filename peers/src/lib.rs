//! Differential tests and benchmarks against peer implementations. Nothing here ships.
#![forbid(unsafe_code)]
