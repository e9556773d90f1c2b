//! Clock-skew tracking from server `Date` headers (filled in by the refresh work).
