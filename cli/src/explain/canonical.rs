//! Signature mismatches: AWS's canonical request (the core's classification reads it from an S3
//! `SignatureDoesNotMatch` body) against ours (what the core's verifier computes for the signed
//! request), compared by the core (`sigv4::diff`) and printed here. Both arrive with the
//! session token redacted.

use sigfresh::credentials::Credentials;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::diff::{compare, diff_lines, Side};
use sigfresh::sigv4::{verify, Payload, SignableRequest, VerifyError, VerifySettings};
use sigfresh::time::{parse_amz_date, Timestamp};

fn payload<'a>(r: &RawRequest<'a>) -> Payload<'a> {
    crate::verify::payload(r, false)
}

/// The request's `X-Amz-Date` (header, or query parameter of a presigned URL).
pub(super) fn signing_time(r: &RawRequest<'_>) -> Option<Timestamp> {
    let v = r.header("x-amz-date").map(str::to_owned).or_else(|| {
        let query = r.target.split_once('?')?.1;
        query
            .split('&')
            .find_map(|p| p.strip_prefix("X-Amz-Date="))
            .map(percent_decode)
    })?;
    parse_amz_date(&v).ok()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The canonical request a verifier computes for `r` (what we signed, as it was sent). The
/// canonical request does not depend on the secret key, so the core's verifier is run with a
/// placeholder secret for the request's own access key id and token, at the request's own
/// signing time; its mismatch report carries the canonical request.
fn our_canonical(r: &RawRequest<'_>, settings: &VerifySettings) -> Result<String, String> {
    let at = signing_time(r).ok_or("the request has no valid X-Amz-Date")?;
    let token = r
        .header("x-amz-security-token")
        .map(str::to_owned)
        .or_else(|| {
            let query = r.target.split_once('?')?.1;
            query
                .split('&')
                .find_map(|p| p.strip_prefix("X-Amz-Security-Token="))
                .map(percent_decode)
        });
    let headers = r.header_pairs();
    let req = SignableRequest::new(r.method, r.target, &headers, payload(r));
    let lookup = |id: &str| {
        Credentials::builder(id, "sigfresh-explain-placeholder-secret")
            .session_token_opt(token.clone())
            .build()
            .ok()
    };
    match verify(&req, lookup, at, settings) {
        Err(VerifyError::SignatureMismatch {
            canonical_request, ..
        }) => Ok(canonical_request),
        Err(e) => Err(e.to_string()),
        Ok(_) => Err("the request verified with a placeholder secret".into()),
    }
}

pub(super) fn mismatch(
    t: &mut String,
    aws_canonical: Option<&str>,
    signed: Option<&RawRequest<'_>>,
    settings: &VerifySettings,
    creds: Option<&Credentials>,
) {
    let theirs = aws_canonical;
    let ours = signed.map(|r| our_canonical(r, settings));
    if let (Some(r), Some(c)) = (signed, creds) {
        let headers = r.header_pairs();
        let req = SignableRequest::new(r.method, r.target, &headers, payload(r));
        let id = c.access_key_id().as_str().to_owned();
        let at = signing_time(r).unwrap_or_default();
        let local = verify(&req, |k| (k == id).then(|| c.clone()), at, settings);
        t.push('\n');
        t.push_str(&match local {
            Ok(_) => "Locally the signature is valid for these credentials: AWS received a \
                      different request than was signed (a proxy or HTTP library changed it), \
                      or AWS applies other rules (S3: --s3)."
                .to_owned(),
            Err(VerifyError::SignatureMismatch { .. }) => {
                "Locally the signature does not match these credentials either: the request \
                 was signed with another secret key, or changed after signing."
                    .to_owned()
            }
            Err(e) => format!("Locally: {e}."),
        });
        t.push('\n');
    }
    match (theirs, ours) {
        (Some(theirs), Some(Ok(ours))) => {
            t.push_str("\nCanonical request diff (- ours, + AWS's):\n");
            for (side, line) in diff_lines(&ours, theirs) {
                t.push_str(match side {
                    Side::Both => "  ",
                    Side::Ours => "- ",
                    Side::Theirs => "+ ",
                });
                t.push_str(line);
                t.push('\n');
            }
            match compare(&ours, theirs) {
                Some(m) => t.push_str(&format!(
                    "\nThey first differ in {} (line {}): {}.\n",
                    m.part.name(),
                    m.line,
                    m.cause.explain()
                )),
                None => t.push_str(
                    "\nThe canonical requests are identical: the secret key is wrong (it does \
                     not belong to the access key id), or the signing time or scope differs.\n",
                ),
            }
        }
        (Some(theirs), ours) => {
            t.push_str("\nAWS's canonical request:\n");
            t.push_str(theirs);
            t.push('\n');
            match ours {
                Some(Err(e)) => t.push_str(&format!("\nOur canonical request: {e}.\n")),
                _ => t.push_str(
                    "\nPass --request with the signed request to diff it against ours.\n",
                ),
            }
        }
        (None, Some(Ok(ours))) => {
            t.push_str("\nOur canonical request (AWS's response does not include its own):\n");
            t.push_str(&ours);
            t.push('\n');
        }
        (None, Some(Err(e))) => t.push_str(&format!("\nOur canonical request: {e}.\n")),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb%zz"), "a/b%zz");
    }
}
