//! The C ABI called from Rust, for Miri.
//!
//! The C tests (tests/c/, under valgrind and ASan/UBSan) are the ABI's main tests. Miri cannot
//! run C, so this file walks the same paths from Rust — handles made, shared, freed and freed
//! twice; caller buffers too small; borrowed views; the verifier's callback; leases; the
//! source machine — so that `cargo +nightly miri test -p sigfresh-ffi --test abi` checks the
//! unsafe code behind them (pointer provenance, aliasing, use after free, leaks, data races).
//! It runs as an ordinary test too. Expected signatures come from the official suite
//! (get-vanilla, tests/vectors/sigv4-suite/get-vanilla/).
#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_char, c_void, CStr};
use std::mem::MaybeUninit;
use std::ptr::{null, null_mut};

use sigfresh_ffi::classify::*;
use sigfresh_ffi::credentials::*;
use sigfresh_ffi::document::*;
use sigfresh_ffi::refresh::*;
use sigfresh_ffi::result::*;
use sigfresh_ffi::sign::*;
use sigfresh_ffi::skew::*;
use sigfresh_ffi::source::*;
use sigfresh_ffi::verify::*;
use sigfresh_ffi::{sigfresh_pair, sigfresh_str};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z, the suite's signing time.
const T_SUITE: i64 = 1_440_938_160_000;
/// get-vanilla's signature (tests/vectors/sigv4-suite/get-vanilla/get-vanilla.sreq).
const VANILLA_SIG: &str = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

const IMDS_DOC: &str = concat!(
    r#"{"Code":"Success","LastUpdated":"2024-05-01T11:49:32Z","Type":"AWS-HMAC","#,
    r#""AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdsSecret","Token":"imdsToken","#,
    r#""Expiration":"2024-05-01T18:00:00Z"}"#
);
/// 2024-05-01T12:00:00Z.
const NOW: i64 = 1_714_564_800_000;

fn pair(name: &'static str, value: &'static str) -> sigfresh_pair {
    sigfresh_pair {
        name: name.as_ptr().cast(),
        name_len: name.len(),
        value: value.as_ptr().cast(),
        value_len: value.len(),
    }
}

/// The request borrows `method`, `uri` and `headers`: keep them alive while it is used.
fn request(method: &str, uri: &str, headers: &[sigfresh_pair]) -> sigfresh_request {
    sigfresh_request {
        method: method.as_ptr().cast(),
        method_len: method.len(),
        uri: uri.as_ptr().cast(),
        uri_len: uri.len(),
        headers: if headers.is_empty() {
            null()
        } else {
            headers.as_ptr()
        },
        headers_len: headers.len(),
        payload: sigfresh_payload {
            kind: SIGFRESH_PAYLOAD_BYTES,
            data: null(),
            data_len: 0,
        },
    }
}

/// # Safety
/// `s` must be a view the library returned, still valid.
unsafe fn text<'a>(s: sigfresh_str) -> &'a str {
    let bytes = unsafe { std::slice::from_raw_parts(s.ptr.cast::<u8>(), s.len) };
    std::str::from_utf8(bytes).unwrap()
}

/// # Safety
/// `ptr` must point at `len` valid bytes.
unsafe fn text_of<'a>(ptr: *const c_char, len: usize) -> &'a str {
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).unwrap()
}

fn last_error() -> String {
    let mut buf = [0 as c_char; 512];
    let mut len = 0usize;
    let rc = unsafe { sigfresh_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len) };
    assert_eq!(rc, SIGFRESH_OK);
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn credentials(akid: &'static str, secret: &'static str) -> *const sigfresh_credentials {
    let mut c = null();
    let rc = unsafe {
        sigfresh_credentials_new(
            akid.as_ptr().cast(),
            akid.len(),
            secret.as_ptr().cast(),
            secret.len(),
            null(),
            0,
            null(),
            null(),
            0,
            SIGFRESH_CREDENTIAL_SOURCE_STATIC,
            &mut c,
        )
    };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    c
}

fn signer(location: sigfresh_signature_location, expires: u32) -> *const sigfresh_signer {
    let mut settings = null_mut();
    assert_eq!(
        unsafe { sigfresh_signing_settings_new(&mut settings) },
        SIGFRESH_OK
    );
    assert_eq!(
        unsafe { sigfresh_signing_settings_set_location(settings, location, expires) },
        SIGFRESH_OK
    );
    let (region, service) = ("us-east-1", "service");
    let mut s = null();
    let rc = unsafe {
        sigfresh_signer_new(
            settings,
            region.as_ptr().cast(),
            region.len(),
            service.as_ptr().cast(),
            service.len(),
            &mut s,
        )
    };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    // The signer keeps a copy: the settings can go first.
    assert_eq!(
        unsafe { sigfresh_signing_settings_free(settings) },
        SIGFRESH_OK
    );
    s
}

#[test]
fn sign_into_caller_buffers_matches_the_suite_and_honours_the_size_protocol() {
    let c = credentials(AKID, SECRET);
    let s = signer(SIGFRESH_LOCATION_HEADERS, 0);
    let r = request("GET", "https://example.amazonaws.com/", &[]);
    let mut buf = [0 as c_char; 1024];
    let mut hs = [pair("", ""); SIGFRESH_MAX_SIGNING_HEADERS];
    let (mut count, mut used) = (0usize, 0usize);
    let rc = unsafe {
        sigfresh_signer_sign(
            s,
            &r,
            c,
            T_SUITE,
            buf.as_mut_ptr(),
            buf.len(),
            hs.as_mut_ptr(),
            hs.len(),
            &mut count,
            &mut used,
        )
    };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    assert_eq!(count, 2);
    unsafe {
        assert_eq!(text_of(hs[0].name, hs[0].name_len), "x-amz-date");
        assert_eq!(text_of(hs[0].value, hs[0].value_len), "20150830T123600Z");
        assert_eq!(text_of(hs[1].name, hs[1].name_len), "authorization");
        let auth = text_of(hs[1].value, hs[1].value_len);
        assert!(
            auth.ends_with(&format!("Signature={VANILLA_SIG}")),
            "{auth}"
        );
        // Each string is NUL-terminated inside `buf`.
        assert_eq!(*hs[1].value.add(hs[1].value_len), 0);
    }

    // Size query, then a buffer one byte short: only the sizes are written.
    let want = used;
    let rc = unsafe {
        sigfresh_signer_sign(
            s,
            &r,
            c,
            T_SUITE,
            null_mut(),
            0,
            null_mut(),
            0,
            &mut count,
            &mut used,
        )
    };
    assert_eq!(rc, SIGFRESH_BUFFER_TOO_SMALL);
    assert_eq!((count, used), (2, want));
    let mut small = vec![0 as c_char; want - 1];
    let mut untouched = [pair("", ""); SIGFRESH_MAX_SIGNING_HEADERS];
    untouched[0].name = null();
    let rc = unsafe {
        sigfresh_signer_sign(
            s,
            &r,
            c,
            T_SUITE,
            small.as_mut_ptr(),
            small.len(),
            untouched.as_mut_ptr(),
            4,
            &mut count,
            &mut used,
        )
    };
    assert_eq!(rc, SIGFRESH_BUFFER_TOO_SMALL);
    assert!(untouched[0].name.is_null());
    assert!(small.iter().all(|&b| b == 0));

    // Wrong handle type and NULLs are result codes.
    let rc = unsafe {
        sigfresh_signer_sign(
            c.cast(),
            &r,
            c,
            T_SUITE,
            buf.as_mut_ptr(),
            buf.len(),
            hs.as_mut_ptr(),
            4,
            &mut count,
            &mut used,
        )
    };
    assert_eq!(rc, SIGFRESH_INVALID_HANDLE);
    let rc = unsafe {
        sigfresh_signer_sign(
            s,
            null(),
            c,
            T_SUITE,
            buf.as_mut_ptr(),
            buf.len(),
            hs.as_mut_ptr(),
            4,
            &mut count,
            &mut used,
        )
    };
    assert_eq!(rc, SIGFRESH_NULL_PARAMETER);
    assert!(last_error().contains("request"));

    unsafe {
        assert_eq!(sigfresh_signer_free(s), SIGFRESH_OK);
        assert_eq!(sigfresh_credentials_free(c), SIGFRESH_OK);
        // Freed handles are detected, not dereferenced as live objects.
        assert_eq!(sigfresh_signer_free(s), SIGFRESH_HANDLE_FREED);
        assert_eq!(sigfresh_credentials_free(c), SIGFRESH_HANDLE_FREED);
        assert_eq!(sigfresh_credentials_free(null()), SIGFRESH_OK);
    }
}

#[test]
fn sign_output_views_stay_valid_until_free_and_presign_verifies() {
    let c = credentials(AKID, SECRET);
    let s = signer(SIGFRESH_LOCATION_HEADERS, 0);
    let r = request("GET", "https://example.amazonaws.com/", &[]);
    let mut out = null();
    assert_eq!(
        unsafe { sigfresh_signer_sign_output(s, &r, c, T_SUITE, &mut out) },
        SIGFRESH_OK
    );
    let mut sig = sigfresh_str {
        ptr: null(),
        len: 0,
    };
    let mut cr = sigfresh_str {
        ptr: null(),
        len: 0,
    };
    unsafe {
        assert_eq!(
            sigfresh_signing_output_signature(out, &mut sig),
            SIGFRESH_OK
        );
        assert_eq!(
            sigfresh_signing_output_canonical_request(out, &mut cr),
            SIGFRESH_OK
        );
        assert_eq!(text(sig), VANILLA_SIG);
        assert!(text(cr).starts_with("GET\n/\n\nhost:example.amazonaws.com\n"));
        let mut n = 0usize;
        assert_eq!(
            sigfresh_signing_output_header_count(out, &mut n),
            SIGFRESH_OK
        );
        assert_eq!(n, 2);
        let mut h = pair("", "");
        assert_eq!(
            sigfresh_signing_output_header(out, 2, &mut h),
            SIGFRESH_INDEX_OUT_OF_RANGE
        );
        assert_eq!(sigfresh_signing_output_free(out), SIGFRESH_OK);
        assert_eq!(
            sigfresh_signing_output_signature(out, &mut sig),
            SIGFRESH_HANDLE_FREED
        );
    }

    // Presign, then verify the URL with a lookup callback that hands out `c`.
    let p = signer(SIGFRESH_LOCATION_QUERY_STRING, 300);
    let mut url = vec![0 as c_char; 1024];
    let mut len = 0usize;
    let rc = unsafe {
        sigfresh_signer_presign(p, &r, c, T_SUITE, url.as_mut_ptr(), url.len(), &mut len)
    };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    let signed = unsafe { text_of(url.as_ptr(), len) }.to_owned();
    assert!(signed.contains("X-Amz-Expires=300"), "{signed}");

    unsafe extern "C" fn lookup(
        userdata: *mut c_void,
        akid: *const c_char,
        akid_len: usize,
    ) -> *const sigfresh_credentials {
        let id = unsafe { text_of(akid, akid_len) };
        assert_eq!(unsafe { *akid.add(akid_len) }, 0, "NUL-terminated");
        if id == AKID {
            userdata.cast_const().cast()
        } else {
            null()
        }
    }
    let mut v = null_mut();
    assert_eq!(unsafe { sigfresh_verifier_new(&mut v) }, SIGFRESH_OK);
    let arrived = request("GET", &signed, &[]);
    let mut verified = null();
    let rc = unsafe {
        sigfresh_verifier_verify(
            v,
            &arrived,
            Some(lookup),
            c.cast_mut().cast(),
            T_SUITE + 10_000,
            &mut verified,
        )
    };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    let mut id = sigfresh_str {
        ptr: null(),
        len: 0,
    };
    unsafe {
        assert_eq!(
            sigfresh_verified_access_key_id(verified, &mut id),
            SIGFRESH_OK
        );
        assert_eq!(text(id), AKID);
        assert_eq!(sigfresh_verified_free(verified), SIGFRESH_OK);
    }
    // Past X-Amz-Expires the same URL fails, and nothing is written.
    let mut none = null();
    let rc = unsafe {
        sigfresh_verifier_verify(
            v,
            &arrived,
            Some(lookup),
            c.cast_mut().cast(),
            T_SUITE + 301_000,
            &mut none,
        )
    };
    assert_ne!(rc, SIGFRESH_OK);
    assert!(none.is_null());
    unsafe {
        assert_eq!(sigfresh_verifier_free(v), SIGFRESH_OK);
        assert_eq!(sigfresh_signer_free(p), SIGFRESH_OK);
        assert_eq!(sigfresh_signer_free(s), SIGFRESH_OK);
        assert_eq!(sigfresh_credentials_free(c), SIGFRESH_OK);
    }
}

#[test]
fn cache_leases_and_completion_from_a_document() {
    let mut policy = null_mut();
    let mut cache = null();
    unsafe {
        assert_eq!(sigfresh_refresh_policy_new(&mut policy), SIGFRESH_OK);
        assert_eq!(
            sigfresh_credential_cache_new(policy, &mut cache),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_refresh_policy_free(policy), SIGFRESH_OK);
    }
    // Empty cache: this caller must refresh and holds the lease.
    let mut access = sigfresh_access::default();
    let (mut c, mut lease) = (null(), null_mut());
    let rc = unsafe { sigfresh_credential_cache_get(cache, NOW, &mut access, &mut c, &mut lease) };
    assert_eq!(rc, SIGFRESH_OK);
    assert_eq!(access.kind, SIGFRESH_ACCESS_REFRESH);
    assert!(c.is_null() && !lease.is_null());
    // A second caller meanwhile waits.
    let (mut c2, mut lease2) = (null(), null_mut());
    let mut access2 = sigfresh_access::default();
    let rc =
        unsafe { sigfresh_credential_cache_get(cache, NOW, &mut access2, &mut c2, &mut lease2) };
    assert_eq!(rc, SIGFRESH_OK);
    assert_eq!(access2.kind, SIGFRESH_ACCESS_WAIT);
    assert!(lease2.is_null());

    let mut format = 99;
    let mut completion = sigfresh_completion::default();
    let rc = unsafe {
        sigfresh_credential_cache_complete_document(
            cache,
            lease,
            IMDS_DOC.as_ptr(),
            IMDS_DOC.len(),
            NOW,
            0,
            &mut format,
            &mut completion,
        )
    };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    assert_eq!(format, SIGFRESH_FORMAT_INSTANCE_METADATA);
    assert_eq!(completion.kind, SIGFRESH_COMPLETION_INSTALLED);
    unsafe {
        // The lease is used up: completing it again is an error, freeing it is fine.
        let mut again = sigfresh_completion::default();
        let rc = sigfresh_credential_cache_complete_document(
            cache,
            lease,
            IMDS_DOC.as_ptr(),
            IMDS_DOC.len(),
            NOW,
            0,
            &mut format,
            &mut again,
        );
        assert_eq!(rc, SIGFRESH_LEASE_ALREADY_USED);
        assert_eq!(sigfresh_lease_free(lease), SIGFRESH_OK);
    }

    // Now the hot path hands out the installed credentials (6 h before expiry: fresh).
    let mut decision = sigfresh_refresh_decision::default();
    let mut cur = null();
    let rc = unsafe { sigfresh_credential_cache_current(cache, NOW, &mut decision, &mut cur) };
    assert_eq!(rc, SIGFRESH_OK);
    assert_eq!(decision.kind, SIGFRESH_DECISION_FRESH);
    assert!(!decision.must_wait);
    let mut buf = [0 as c_char; 32];
    let mut n = 0;
    unsafe {
        assert_eq!(
            sigfresh_credentials_access_key_id(cur, buf.as_mut_ptr(), buf.len(), &mut n),
            SIGFRESH_OK
        );
        assert_eq!(text_of(buf.as_ptr(), n), "ASIAIMDS");
        // The credentials outlive an invalidation and the cache itself.
        let mut dropped = false;
        assert_eq!(
            sigfresh_credential_cache_invalidate_if_current(cache, cur, &mut dropped),
            SIGFRESH_OK
        );
        assert!(dropped);
        assert_eq!(sigfresh_credential_cache_free(cache), SIGFRESH_OK);
        assert_eq!(
            sigfresh_credentials_access_key_id(cur, buf.as_mut_ptr(), buf.len(), &mut n),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_credentials_free(cur), SIGFRESH_OK);
    }
}

#[test]
fn cache_shared_between_threads() {
    let mut policy = null_mut();
    let mut cache = null();
    unsafe {
        assert_eq!(sigfresh_refresh_policy_new(&mut policy), SIGFRESH_OK);
        assert_eq!(
            sigfresh_credential_cache_new(policy, &mut cache),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_refresh_policy_free(policy), SIGFRESH_OK);
    }
    /// The cache handle is documented as shareable between threads.
    #[derive(Clone, Copy)]
    struct Shared(*const sigfresh_credential_cache);
    // SAFETY: sigfresh_credential_cache is thread-safe (header: "Share it between threads").
    unsafe impl Send for Shared {}
    let shared = Shared(cache);
    let threads = if cfg!(miri) { 2 } else { 4 };
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || {
                let shared = shared;
                let cache = shared.0;
                let mut refreshed = 0;
                for i in 0..3 {
                    let mut access = sigfresh_access::default();
                    let (mut c, mut lease) = (null(), null_mut());
                    let now = NOW + i;
                    let rc = unsafe {
                        sigfresh_credential_cache_get(cache, now, &mut access, &mut c, &mut lease)
                    };
                    assert_eq!(rc, SIGFRESH_OK);
                    if !lease.is_null() {
                        let mut format = 0;
                        let mut done = sigfresh_completion::default();
                        let rc = unsafe {
                            sigfresh_credential_cache_complete_document(
                                cache,
                                lease,
                                IMDS_DOC.as_ptr(),
                                IMDS_DOC.len(),
                                now,
                                0,
                                &mut format,
                                &mut done,
                            )
                        };
                        assert_eq!(rc, SIGFRESH_OK);
                        refreshed += 1;
                        unsafe { assert_eq!(sigfresh_lease_free(lease), SIGFRESH_OK) };
                    }
                    unsafe { assert_eq!(sigfresh_credentials_free(c), SIGFRESH_OK) };
                }
                refreshed
            })
        })
        .collect();
    let total: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    // One caller refreshed; everyone else waited or used the result.
    assert_eq!(total, 1);
    unsafe { assert_eq!(sigfresh_credential_cache_free(cache), SIGFRESH_OK) };
}

fn step() -> sigfresh_step {
    // SAFETY: sigfresh_step is plain data (integers, NULL pointers are valid for it).
    unsafe { MaybeUninit::<sigfresh_step>::zeroed().assume_init() }
}

#[test]
fn imds_source_steps_borrow_until_the_next_call() {
    let env = [pair(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "http://127.0.0.1:1338",
    )];
    let mut src = null_mut();
    let rc = unsafe { sigfresh_source_new_imds(env.as_ptr(), 1, null(), null(), 0, &mut src) };
    assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
    let mut st = step();
    unsafe {
        assert_eq!(sigfresh_source_start(src, NOW, 42), SIGFRESH_OK);
        assert_eq!(sigfresh_source_poll(src, NOW, &mut st), SIGFRESH_OK);
        assert_eq!(st.kind, SIGFRESH_STEP_SEND);
        assert_eq!(text(st.request.method), "PUT");
        assert_eq!(
            text(st.request.url),
            "http://127.0.0.1:1338/latest/api/token"
        );
        let body = "imdsTOKEN";
        assert_eq!(
            sigfresh_source_handle_response(src, NOW, 200, null(), 0, body.as_ptr(), body.len()),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_source_poll(src, NOW, &mut st), SIGFRESH_OK);
        assert_eq!(text(st.request.method), "GET");
        let headers = std::slice::from_raw_parts(st.request.headers, st.request.headers_len);
        assert!(headers.iter().any(
            |h| text_of(h.name, h.name_len) == "x-aws-ec2-metadata-token"
                && text_of(h.value, h.value_len) == "imdsTOKEN"
        ));
        let role = "my-role\n";
        assert_eq!(
            sigfresh_source_handle_response(src, NOW, 200, null(), 0, role.as_ptr(), role.len()),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_source_poll(src, NOW, &mut st), SIGFRESH_OK);
        assert!(text(st.request.url).ends_with("/security-credentials/my-role"));
        assert_eq!(
            sigfresh_source_handle_response(
                src,
                NOW,
                200,
                null(),
                0,
                IMDS_DOC.as_ptr(),
                IMDS_DOC.len()
            ),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_source_poll(src, NOW, &mut st), SIGFRESH_OK);
        assert_eq!(st.kind, SIGFRESH_STEP_DONE);
        let mut c = null();
        assert_eq!(sigfresh_source_credentials(src, &mut c), SIGFRESH_OK);
        // A transport failure on the next fetch: the detail is kept, never a secret.
        assert_eq!(sigfresh_source_start(src, NOW + 1000, 7), SIGFRESH_OK);
        assert_eq!(sigfresh_source_poll(src, NOW + 1000, &mut st), SIGFRESH_OK);
        assert_eq!(st.kind, SIGFRESH_STEP_SEND);
        let detail = "refused";
        assert_eq!(
            sigfresh_source_handle_transport_error(
                src,
                NOW + 1000,
                SIGFRESH_TRANSPORT_CONNECT,
                detail.as_ptr().cast(),
                detail.len()
            ),
            SIGFRESH_OK
        );
        assert_eq!(sigfresh_source_free(src), SIGFRESH_OK);
        assert_eq!(
            sigfresh_source_poll(src, NOW, &mut st),
            SIGFRESH_HANDLE_FREED
        );
        // Credentials from a freed source stay valid.
        let mut buf = [0 as c_char; 32];
        let mut n = 0;
        assert_eq!(
            sigfresh_credentials_access_key_id(c, buf.as_mut_ptr(), buf.len(), &mut n),
            SIGFRESH_OK
        );
        assert_eq!(text_of(buf.as_ptr(), n), "ASIAIMDS");
        assert_eq!(sigfresh_credentials_free(c), SIGFRESH_OK);
    }
}

#[test]
fn classification_and_skew_from_an_expired_token_response() {
    let body = concat!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code>",
        "<Message>The security token included in the request is expired</Message>",
        "</Error><RequestId>1</RequestId></ErrorResponse>"
    );
    let headers = [pair("Date", "Wed, 01 May 2024 12:00:00 GMT")];
    let mut skew = null();
    let mut cl = null();
    unsafe {
        assert_eq!(sigfresh_clock_skew_new(&mut skew), SIGFRESH_OK);
        let rc = sigfresh_classification_new(
            403,
            headers.as_ptr(),
            1,
            body.as_ptr(),
            body.len(),
            skew,
            NOW,
            &mut cl,
        );
        assert_eq!(rc, SIGFRESH_OK, "{}", last_error());
        let mut kind = 99;
        assert_eq!(sigfresh_classification_kind(cl, &mut kind), SIGFRESH_OK);
        assert_eq!(kind, SIGFRESH_ERROR_KIND_EXPIRED_TOKEN);
        let mut code = sigfresh_str {
            ptr: null(),
            len: 0,
        };
        assert_eq!(sigfresh_classification_code(cl, &mut code), SIGFRESH_OK);
        assert_eq!(text(code), "ExpiredToken");
        assert_eq!(sigfresh_classification_free(cl), SIGFRESH_OK);
        assert_eq!(sigfresh_classification_free(cl), SIGFRESH_HANDLE_FREED);
        // A Date header 2 minutes ahead of the local clock.
        let date = "Wed, 01 May 2024 12:02:00 GMT";
        let mut measured = 0;
        assert_eq!(
            sigfresh_clock_skew_observe_date_header(
                skew,
                date.as_ptr().cast(),
                date.len(),
                NOW,
                &mut measured
            ),
            SIGFRESH_OK
        );
        assert_eq!(measured, 120_000);
        assert_eq!(sigfresh_clock_skew_free(skew), SIGFRESH_OK);
    }
}

#[test]
fn documents_parse_and_errors_name_the_field_without_the_secret() {
    let mut format = 99;
    let mut c = null();
    unsafe {
        let rc =
            sigfresh_document_parse_any(IMDS_DOC.as_ptr(), IMDS_DOC.len(), &mut format, &mut c);
        assert_eq!(rc, SIGFRESH_OK);
        assert_eq!(format, SIGFRESH_FORMAT_INSTANCE_METADATA);
        assert_eq!(sigfresh_credentials_free(c), SIGFRESH_OK);
        let broken = r#"{"Code":"Success","AccessKeyId":"ASIA","SecretAccessKey":"sekrit-value"}"#;
        let mut none = null();
        let rc = sigfresh_document_parse_imds(broken.as_ptr(), broken.len(), &mut none);
        assert_ne!(rc, SIGFRESH_OK);
        assert!(none.is_null());
        let detail = last_error();
        assert!(!detail.contains("sekrit-value"), "{detail}");
        assert!(
            detail.contains("Token") || detail.contains("Expiration"),
            "{detail}"
        );
    }
}
