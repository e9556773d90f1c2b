//! `document::parse_sts` on arbitrary bytes: never panics; credentials that parse never show
//! their secret in `Debug`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigfresh::document::parse_sts;
use sigfresh_fuzz::check_document;

fuzz_target!(|data: &[u8]| {
    check_document(parse_sts(data));
});
