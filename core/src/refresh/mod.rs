//! The refresh policy, decision and cache (filled in by the refresh work).
