//! HTTP `Date` header parsing (filled in by the skew work).
