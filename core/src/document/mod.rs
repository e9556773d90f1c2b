//! Credential document parsers (filled in by the documents work).
