//! Sign/verify round trips: an arbitrary request (raw HTTP text as in the SigV4 suite's `.req`
//! files, parsed by `RawRequest::parse`, after a 20-byte control prefix choosing every settings
//! knob, header or query signing, payload marker, authority, session token, time and the
//! mutation) is signed; if signing succeeds, the request as the server receives it must
//! verify `Ok` with the matching settings. Then one mutation of that request must not panic
//! `verify`. Access key ids, regions and services are realistic unless a flag bit picks odd
//! ones: those with `,` `=` `&` `;` are refused by the core (finding F3), the others (`%2F`,
//! `?`, `%20`) must round-trip like realistic ones.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use sigfresh::credentials::Credentials;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{
    verify, ContentSha256Header, HeaderSelection, PathNormalization, Payload, SessionTokenMode,
    SignableRequest, Signer, SigningSettings, UriEncoding, VerifySettings,
};
use sigfresh::time::Timestamp;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEPT//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with=chars";

const AUTHORITIES: &[&str] = &[
    "https://example.amazonaws.com",
    "http://example.amazonaws.com:8080",
    "https://bucket.s3.amazonaws.com:443",
    "https://user:pw@[::1]",
    "",
];
const HEADER_NAMES: &[&str] = &[
    "host",
    "Content-Type",
    "X-Amz-Meta-A",
    "x-amz-date",
    "Authorization",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "User-Agent",
    "My-Header",
    "X-Amzn-Trace-Id",
];

struct Case {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    payload: u8,
    precomputed: String,
    settings: SigningSettings,
    verify: VerifySettings,
    akid: String,
    region: String,
    service: String,
    token: bool,
    time: Timestamp,
}

const ODD_AKIDS: &[&str] = &["AK,ID", "AK=ID", "AK&ID", "AK%2FID", "AK;ID", "AK?ID"];
const ODD_SCOPES: &[&str] = &["us,east-1", "s=3", "a&b", "x%20y", "q?r"];

fn case(ctl: &mut Unstructured<'_>, text: &[u8]) -> Result<Option<Case>> {
    let flags: u16 = ctl.arbitrary()?;
    let odd_ids = flags & 1 != 0;
    let mut settings = if flags & 2 != 0 {
        SigningSettings::s3()
    } else {
        SigningSettings::default()
    };
    if flags & 4 != 0 {
        settings.uri_encoding = UriEncoding::Single;
    }
    if flags & 8 != 0 {
        settings.path_normalization = PathNormalization::Disabled;
    }
    if flags & 16 != 0 {
        settings.session_token = SessionTokenMode::AppendAfterSigning;
    }
    if flags & 32 != 0 {
        settings.content_sha256 = ContentSha256Header::Add;
    }
    let listed = (*ctl.choose(HEADER_NAMES)?).to_owned();
    settings.headers = match (flags >> 6) & 3 {
        1 => HeaderSelection::AllowList(vec![listed]),
        2 => HeaderSelection::DenyList(vec![listed]),
        _ => HeaderSelection::Default,
    };
    let expires: u16 = ctl.arbitrary()?;
    if flags & 256 != 0 {
        // 0 and the 7-day maximum plus one second are out of range; the rest is valid.
        let secs = match expires {
            0 => 0,
            1 => 604_801,
            2 => 604_800,
            e => u32::from(e),
        };
        settings = settings.presigned(secs);
    }
    let mut verify = VerifySettings::default();
    verify.uri_encoding = settings.uri_encoding;
    verify.path_normalization = settings.path_normalization;
    verify.session_token = settings.session_token;
    verify.presigned_payload = settings.presigned_payload;

    let authority = *ctl.choose(AUTHORITIES)?;
    let payload = ctl.int_in_range(0..=9)?;
    let ids: u8 = ctl.arbitrary()?;
    let time_offset: i32 = ctl.arbitrary()?;
    let (akid, region, service) = if odd_ids {
        (
            ODD_AKIDS[usize::from(ids) % ODD_AKIDS.len()],
            ODD_SCOPES[usize::from(ids / 8) % ODD_SCOPES.len()],
            ODD_SCOPES[usize::from(ids / 64) % ODD_SCOPES.len()],
        )
    } else {
        (
            ["AKIDEXAMPLE", "ASIAQEXAMPLE123"][usize::from(ids & 1)],
            ["us-east-1", "eu-west-1", "cn-north-1"][usize::from(ids / 2) % 3],
            ["service", "s3", "execute-api", "sts"][usize::from(ids / 8) % 4],
        )
    };

    let Ok(raw) = RawRequest::parse(text) else {
        return Ok(None);
    };
    // An origin-form target may be made absolute, so the host comes from the URL.
    let uri = if raw.target.starts_with('/') && flags & 1024 != 0 {
        format!("{authority}{}", raw.target)
    } else {
        raw.target.to_owned()
    };
    let headers = raw
        .headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.to_string()))
        .collect();
    let digest: [u8; 32] = core::array::from_fn(|i| raw.body.get(i).copied().unwrap_or(0));
    Ok(Some(Case {
        method: raw.method.to_owned(),
        uri,
        headers,
        body: raw.body.to_vec(),
        payload,
        precomputed: digest.iter().map(|b| format!("{b:02x}")).collect(),
        settings,
        verify,
        akid: akid.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        token: flags & 512 != 0,
        // Around the suite's 2015-08-30T12:36:00Z by up to ±68 years.
        time: Timestamp::from_unix_seconds(1_440_938_160 + i64::from(time_offset)),
    }))
}

fn payload<'a>(c: &'a Case) -> Payload<'a> {
    match c.payload {
        0 => Payload::Precomputed(&c.precomputed),
        1 => Payload::Unsigned,
        2 => Payload::StreamingSigned,
        3 => Payload::StreamingUnsignedTrailer,
        _ => Payload::Bytes(&c.body),
    }
}

/// The header names the signer replaces with its own values.
fn managed(name: &str, token: bool, add_sha: bool) -> bool {
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    is("x-amz-date")
        || is("authorization")
        || (token && is("x-amz-security-token"))
        || (add_sha && is("x-amz-content-sha256"))
}

fn run(data: &[u8]) -> Result<()> {
    if data.len() < CONTROL {
        return Ok(());
    }
    let (ctl, text) = data.split_at(CONTROL);
    let mut u = Unstructured::new(ctl);
    let u = &mut u;
    let Some(c) = case(u, text)? else {
        return Ok(());
    };
    let mut builder = Credentials::builder(c.akid.as_str(), SECRET);
    if c.token {
        builder = builder.session_token(TOKEN);
    }
    let Ok(creds) = builder.build() else {
        return Ok(());
    };
    let Ok(signer) = Signer::new(&c.region, &c.service, c.settings.clone()) else {
        return Ok(());
    };
    let pairs: Vec<(&str, &str)> = c
        .headers
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let req = SignableRequest::new(&c.method, &c.uri, &pairs, payload(&c));
    let out = match signer.sign(&req, &creds, c.time) {
        Ok(out) => out,
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"));
            return Ok(());
        }
    };
    let _ = (
        format!("{out:?}"),
        out.render(&req),
        out.canonical_request(),
    );
    let presigned = out.query_params().next().is_some();
    let add_sha = !presigned && c.settings.content_sha256 == ContentSha256Header::Add;

    // The request as the server receives it.
    let uri = out.signed_uri(&req);
    let mut wire: Vec<(String, String)> = c
        .headers
        .iter()
        .filter(|(n, _)| !managed(n, c.token, add_sha))
        .cloned()
        .collect();
    wire.extend(out.headers().map(|(n, v)| (n.to_owned(), v.to_owned())));
    let lookup = |id: &str| (id == creds.access_key_id().as_str()).then(|| creds.clone());

    let wire_pairs: Vec<(&str, &str)> =
        wire.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let signed = SignableRequest::new(&c.method, &uri, &wire_pairs, payload(&c));
    let result = verify(&signed, lookup, c.time, &c.verify);
    // A query that already carries presigning parameters is ambiguous to any verifier.
    let query_has_sigv4 = c.uri.contains("X-Amz-") || c.uri.contains("x-amz-");
    // Findings F1, F2 and F3 (FUZZING.md) are fixed: odd header names, a literal `?` at the
    // end of the query and odd identifiers the core accepts round-trip, so they are checked
    // like everything else.
    if !(presigned && query_has_sigv4) {
        match &result {
            Ok(v) => {
                assert_eq!(v.access_key_id, c.akid);
                assert_eq!(v.region, c.region);
                assert_eq!(v.service, c.service);
                assert_eq!(v.signed_at.unix_seconds(), c.time.unix_seconds());
            }
            Err(e) => panic!("signed request does not verify: {e:?}\nsigned: {out:?}"),
        }
    }
    if let Err(e) = &result {
        let _ = (e.to_string(), format!("{e:?}"));
    }

    // One mutation; verify must not panic (and whatever it says must format).
    let mut method = c.method.clone();
    let mut uri = uri;
    let mut body = c.body.clone();
    let mut now = c.time;
    match u.int_in_range(0..=6)? {
        0 => mutate(u, &mut method)?,
        1 => mutate(u, &mut uri)?,
        2 if !wire.is_empty() => {
            let i = u.choose_index(wire.len())?;
            mutate(u, &mut wire[i].1)?;
        }
        3 if !wire.is_empty() => {
            let i = u.choose_index(wire.len())?;
            mutate(u, &mut wire[i].0)?;
        }
        4 if !wire.is_empty() => {
            let i = u.choose_index(wire.len())?;
            wire.remove(i);
        }
        5 => {
            if body.is_empty() {
                body.push(0);
            } else {
                let i = u.choose_index(body.len())?;
                body[i] ^= u.int_in_range(1..=255)?;
            }
        }
        _ => now = now.offset_millis(u.arbitrary::<i32>()?.into()),
    }
    let wire_pairs: Vec<(&str, &str)> =
        wire.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mutated = Case { body, ..c };
    let p = payload(&mutated);
    let tampered = SignableRequest::new(&method, &uri, &wire_pairs, p);
    if let Err(e) = verify(
        &tampered,
        |id| (id == creds.access_key_id().as_str()).then(|| creds.clone()),
        now,
        &mutated.verify,
    ) {
        let _ = (e.to_string(), format!("{e:?}"));
    }
    Ok(())
}

/// Replaces, inserts or deletes one character of `s`.
fn mutate(u: &mut Unstructured<'_>, s: &mut String) -> Result<()> {
    let boundaries: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
    let at = *u.choose(&boundaries)?;
    let ch: char = u.arbitrary()?;
    match u.int_in_range(0..=2)? {
        0 => s.insert(at, ch),
        _ if at < s.len() => {
            let removed = s.remove(at);
            if removed == ch {
                s.insert(at, if ch == 'a' { 'b' } else { 'a' });
            } else {
                s.insert(at, ch);
            }
        }
        _ => s.push(ch),
    }
    Ok(())
}

/// Bytes of control prefix before the request text.
const CONTROL: usize = 20;

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
