//! SigV4 signing (in progress).
