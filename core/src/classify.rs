//! Classifies AWS error responses into what the host should do next (filled in by the refresh
//! work).
