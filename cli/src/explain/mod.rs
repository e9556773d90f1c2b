//! `sigfresh explain`: what an AWS error response means (the core's `classify`), with the
//! details a person needs at 3 a.m.: when the token expired, how far the clock is off, and where
//! our canonical request differs from the one AWS computed.

use crate::args::{self, Args};
use crate::creds::CredArgs;
use crate::{clock, fail, http, read_input, usage, write, Failure};

mod canonical;
use sigfresh::classify::{classify, Action, ErrorKind, ErrorResponse};
use sigfresh::credentials::Credentials;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{PathNormalization, PresignedPayload, UriEncoding, VerifySettings};
use sigfresh::time::Timestamp;
use std::io::Write;

pub(crate) const HELP: &str = "\
sigfresh explain — say what an AWS error response means, and the fix

USAGE:
    sigfresh explain [FILE|-] [--request FILE] [--credentials FILE] [OPTIONS]

The response is the raw HTTP response text: status line, headers, blank line, body (what
`curl -i` prints). With only a body, give --status (and -H for headers). The error code and
message come from the headers or the JSON/XML body. Says which of these it is, and the fix:
expired session token (with --credentials: when it expired), clock skew (by how much, from the
Date header), signature mismatch (with --request: our canonical request diffed against the one
AWS returns in SignatureDoesNotMatch bodies), throttling, a transient failure, or a denial.

OPTIONS:
    --request FILE               The signed request that got this response (raw HTTP text)
    --credentials FILE           The credentials document it was signed with (for its expiry,
                                 and to check the signature locally); or --access-key-id,
                                 --secret-access-key, --session-token, --profile
    --status CODE                The HTTP status, when the input is only a body
    -H, --header 'NAME: VALUE'   A response header, when the input is only a body (repeatable)
    --time TIME                  When the response arrived (default: the request's X-Amz-Date
                                 with --request, else now)
    --s3, --single-encode, --no-normalize-path
                                 The signing rules, for our canonical request (as in `sign`)

EXAMPLES:
    # An S3 SignatureDoesNotMatch: which part of the canonical request differs?
    curl -si \"$URL\" > response.txt
    sigfresh explain response.txt --request signed.req --s3

    # A JSON body from an SDK log
    echo '{\"__type\":\"ExpiredTokenException\",\"message\":\"The security token included in the request is expired\"}' |
        sigfresh explain - --status 400
";

struct Input {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn split_message(bytes: &[u8]) -> (&[u8], &[u8]) {
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'\n') {
        let nl = i + off;
        match bytes.get(nl + 1) {
            Some(b'\n') => return (&bytes[..nl], &bytes[nl + 2..]),
            Some(b'\r') if bytes.get(nl + 2) == Some(&b'\n') => {
                return (&bytes[..nl], &bytes[nl + 3..])
            }
            _ => i = nl + 1,
        }
    }
    (bytes, &[])
}

fn parse_response(
    bytes: &[u8],
    status: Option<u16>,
    extra: &[(String, String)],
) -> Result<Input, Failure> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if bytes[start..].starts_with(b"HTTP/") {
        let (head, body) = split_message(&bytes[start..]);
        let head = std::str::from_utf8(head).map_err(|e| {
            fail(format!(
                "response head is not UTF-8 (byte {})",
                e.valid_up_to()
            ))
        })?;
        let h = http::parse_head(head).map_err(|e| fail(format!("response: {e}")))?;
        let mut headers = h.headers;
        headers.extend(extra.iter().cloned());
        return Ok(Input {
            status: status.unwrap_or(h.status),
            headers,
            body: body.to_vec(),
        });
    }
    let status = status.ok_or_else(|| {
        fail("response: it must start with a status line (HTTP/1.1 403 Forbidden), or give --status with a bare body")
    })?;
    Ok(Input {
        status,
        headers: extra.to_vec(),
        body: bytes.to_vec(),
    })
}

/// Runs `sigfresh explain`.
pub(crate) fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let (mut input, mut request, mut status, mut time) = (None, None, None, None);
    let mut headers = Vec::new();
    let mut settings = VerifySettings::default();
    let mut cred = CredArgs::default();
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg()? {
        if cred.take(&arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--request" => request = Some(it.value(&arg)?),
            "--status" => {
                let s: u16 = it.number(&arg, "an HTTP status code")?;
                if !(100..=599).contains(&s) {
                    return Err(usage(format!("--status {s}: an HTTP status is 100..599")));
                }
                status = Some(s);
            }
            "-H" | "--header" => {
                let h = it.value(&arg)?;
                let (n, v) = h
                    .split_once(':')
                    .ok_or_else(|| usage(format!("{arg} {h:?}: expected 'Name: value'")))?;
                headers.push((n.trim().to_owned(), v.trim().to_owned()));
            }
            "--time" => time = Some(clock::parse_time("--time", &it.value(&arg)?)?),
            "--s3" => {
                settings.uri_encoding = UriEncoding::Single;
                settings.path_normalization = PathNormalization::Disabled;
                settings.presigned_payload = PresignedPayload::Unsigned;
            }
            "--single-encode" => settings.uri_encoding = UriEncoding::Single,
            "--no-normalize-path" => settings.path_normalization = PathNormalization::Disabled,
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => {
                if input.replace(s.to_owned()).is_some() {
                    return Err(usage("give one response file (or - for stdin)"));
                }
            }
        }
    }
    it.finish()?;
    // Only fixed credentials: explaining a saved response must not fetch anything.
    let creds = cred.fixed()?.map(|l| l.credentials);
    let request_bytes = match &request {
        Some(p) => Some(std::fs::read(p).map_err(|e| fail(format!("cannot read {p}: {e}")))?),
        None => None,
    };
    let signed = match &request_bytes {
        Some(b) => Some(RawRequest::parse(b).map_err(|e| fail(format!("--request: {e}")))?),
        None => None,
    };
    let bytes = read_input(input.as_deref())?;
    let resp = parse_response(&bytes, status, &headers)?;

    let signed_at = signed.as_ref().and_then(canonical::signing_time);
    let local_now = time.or(signed_at).unwrap_or_else(clock::wall);
    let pairs: Vec<(&str, &str)> = resp
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let c = classify(
        &ErrorResponse::new(resp.status, &pairs, &resp.body),
        None,
        local_now,
    );

    let mut t = format!("{}\n\n", c.explain());
    let field = |t: &mut String, name: &str, value: &str| {
        t.push_str(&format!("  {name:<14}{value}\n"));
    };
    field(&mut t, "status:", &resp.status.to_string());
    if let Some(code) = &c.code {
        field(&mut t, "error code:", code);
    }
    if let Some(m) = &c.message {
        field(&mut t, "AWS says:", m);
    }
    let step = match c.action {
        Action::RefreshCredentialsAndRetry => "refresh the credentials, re-sign, retry once",
        Action::CorrectClockAndRetry => "re-sign with AWS's time, retry once",
        Action::Throttled => "back off (exponential, with jitter) and retry",
        Action::RetryTransient => "retry with backoff",
        _ => "do not retry it unchanged",
    };
    field(&mut t, "next step:", &format!("{step} ({:?})", c.action));
    if let Some(s) = c.server_time {
        field(&mut t, "AWS's time:", &s.to_string());
    }
    if let Some(s) = signed_at {
        field(
            &mut t,
            "signed at:",
            &format!("{s} (the request's X-Amz-Date)"),
        );
    }
    if let Some(ms) = c.skew_ms {
        let text = match ms {
            0 => "none: the clocks agree".to_owned(),
            ms if ms > 0 => format!("the signing clock is {} behind AWS's", clock::human(ms)),
            ms => format!("the signing clock is {} ahead of AWS's", clock::human(ms)),
        };
        field(&mut t, "clock offset:", &text);
        if signed_at.is_none() && time.is_none() && ms.unsigned_abs() > 3_600_000 {
            t.push_str(
                "  (measured against this machine's clock now: if the response was saved                  earlier, pass --time with when it arrived, or --request)\n",
            );
        }
    }
    if let Some(r) = resp
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("retry-after"))
    {
        field(
            &mut t,
            "retry after:",
            &format!("{} (AWS's Retry-After)", r.1),
        );
    }
    match c.kind {
        ErrorKind::ExpiredToken => {
            let when = if signed_at.is_some() {
                "the request was signed"
            } else if time.is_some() {
                "the response arrived (--time)"
            } else {
                "now"
            };
            expired(&mut t, creds.as_ref(), signed_at.unwrap_or(local_now), when)
        }
        ErrorKind::SignatureMismatch | ErrorKind::ClockSkew => canonical::mismatch(
            &mut t,
            c.canonical_request.as_deref(),
            signed.as_ref(),
            &settings,
            creds.as_ref(),
        ),
        _ => {}
    }
    write(out, t.as_bytes())
}

fn expired(t: &mut String, creds: Option<&Credentials>, at: Timestamp, when: &str) {
    t.push('\n');
    match creds.and_then(Credentials::expiry) {
        Some(e) if e <= at => t.push_str(&format!(
            "The credentials expired at {e}, {} before {at} ({when}).\n\
             Fix: refresh before expiry (sigfresh's cache refreshes 5 minutes ahead); never \
             keep credentials captured at startup.\n",
            clock::human(at.millis_since(e))
        )),
        Some(e) => t.push_str(&format!(
            "The credentials say they expire at {e}, {} after {at} ({when}): the signing \
             host's clock is probably behind AWS's, or the session was revoked.\n",
            clock::human(e.millis_since(at))
        )),
        None if creds.is_some() => t.push_str(
            "The credentials given have no expiry; the session token expired all the same \
             (tokens from environment variables and profiles cannot be refreshed ahead).\n",
        ),
        None => t.push_str(
            "AWS does not say when the token expired: pass --credentials with the document the \
             credentials came from (IMDS, credential_process, STS) to see their expiry.\n",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_forms() {
        let r = parse_response(
            b"HTTP/1.1 403 Forbidden\r\nDate: x\r\n\r\n<Error/>",
            None,
            &[],
        );
        let r = r.ok().map(|i| (i.status, i.headers.len(), i.body));
        assert_eq!(r, Some((403, 1, b"<Error/>".to_vec())));
        assert!(parse_response(b"{}", None, &[]).is_err());
        assert!(parse_response(b"{}", Some(400), &[]).is_ok());
    }
}
