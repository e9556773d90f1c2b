//! `sigfresh curl METHOD URL`: sign and send one request with refreshing credentials; on an
//! expired-token or clock-skew rejection (the core's `classify`), refresh or correct the clock,
//! re-sign and retry once.

use crate::args::{self, Args};
use crate::creds::{self, CredArgs};
use crate::http::{Conn, Response};
use crate::{clock, fail, usage, write, Failure};
use sigfresh::classify::{classify, Action, ErrorResponse};
use sigfresh::document::ProfileSet;
use sigfresh::sigv4::{ContentSha256Header, Payload, SignableRequest, Signer};
use sigfresh::skew::ClockSkew;
use sigfresh::source::Url;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

const HEAD: &str = "\
sigfresh curl — sign and send a request, with refreshing credentials

USAGE:
    sigfresh curl METHOD URL --service SERVICE [--region REGION] [OPTIONS]

Signs the request with SigV4 and sends it (HTTP/1.1, http:// or https://). Credentials come
from the default chain behind sigfresh's refresh cache unless given. When AWS answers with an
expired-token error, the credentials are refreshed and the request re-signed and retried once;
on a clock-skew error, it is re-signed with AWS's clock (from the Date header) and retried once.
Other errors are explained on stderr. Prints the response body (with -i, the head too).

";

const TAIL: &str = "
REQUEST:
    --service SERVICE            Signing name, e.g. sqs, execute-api, s3 (required)
    --region REGION              Region (default: AWS_REGION, then AWS_DEFAULT_REGION)
    -H, --header 'NAME: VALUE'   A header to send and sign (repeatable)
    -d, --data DATA              The body; @FILE reads a file, @- stdin (repeatable: joined
                                 with &)
    --data-binary DATA           Like --data
    --s3                         S3 rules (single path encoding, no normalization,
                                 x-amz-content-sha256)
    --sign-body                  Add x-amz-content-sha256 with the body's hash
    --unsigned-payload           Sign UNSIGNED-PAYLOAD
    --max-time SECONDS           Give up on a connection after this long (default 30)

OUTPUT:
    -i, --include                Print the response status line and headers before the body
    -v, --verbose                Print the request and response heads on stderr (the session
                                 token masked)
    -f, --fail                   Exit 22 when the final status is 400 or above

EXAMPLES:
    # List SQS queues with the instance role (refreshed automatically)
    sigfresh curl POST https://sqs.us-east-1.amazonaws.com/ --service sqs --region us-east-1 \\
        -H 'Content-Type: application/x-www-form-urlencoded' -d 'Action=ListQueues&Version=2012-11-05'

    # An API Gateway endpoint with IAM auth, credentials from a credential_process document
    sigfresh curl GET https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items \\
        --service execute-api --region eu-west-1 --credentials creds.json -i
";

/// The help text.
pub(crate) fn help() -> String {
    format!("{HEAD}{}{TAIL}", creds::HELP)
}

struct Options {
    method: String,
    url: String,
    region: Option<String>,
    service: Option<String>,
    headers: Vec<(String, String)>,
    data: Option<Vec<u8>>,
    s3: bool,
    sign_body: bool,
    unsigned: bool,
    timeout: Duration,
    include: bool,
    verbose: bool,
    fail_on_error: bool,
    creds: CredArgs,
}

fn read_data(v: &str) -> Result<Vec<u8>, Failure> {
    match v.strip_prefix('@') {
        Some(path) => crate::read_input(Some(path)),
        None => Ok(v.as_bytes().to_vec()),
    }
}

fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut positional = Vec::new();
    let mut o = Options {
        method: String::new(),
        url: String::new(),
        region: None,
        service: None,
        headers: Vec::new(),
        data: None,
        s3: false,
        sign_body: false,
        unsigned: false,
        timeout: Duration::from_secs(30),
        include: false,
        verbose: false,
        fail_on_error: false,
        creds: CredArgs::default(),
    };
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg()? {
        if o.creds.take(&arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--region" => o.region = Some(it.value(&arg)?),
            "--service" => o.service = Some(it.value(&arg)?),
            "-H" | "--header" => {
                let h = it.value(&arg)?;
                let (n, v) = h
                    .split_once(':')
                    .ok_or_else(|| usage(format!("{arg} {h:?}: expected 'Name: value'")))?;
                o.headers.push((n.trim().to_owned(), v.trim().to_owned()));
            }
            "-d" | "--data" | "--data-binary" => {
                let more = read_data(&it.value(&arg)?)?;
                let data = o.data.get_or_insert_with(Vec::new);
                if !data.is_empty() {
                    data.push(b'&');
                }
                data.extend_from_slice(&more);
            }
            "--s3" => o.s3 = true,
            "--sign-body" => o.sign_body = true,
            "--unsigned-payload" => o.unsigned = true,
            "--max-time" => {
                let s: u64 = it.number(&arg, "a whole number of seconds")?;
                if s == 0 {
                    return Err(usage("--max-time must be at least 1 second"));
                }
                o.timeout = Duration::from_secs(s);
            }
            "-i" | "--include" => o.include = true,
            "-v" | "--verbose" => o.verbose = true,
            "-f" | "--fail" => o.fail_on_error = true,
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => positional.push(s.to_owned()),
        }
    }
    it.finish()?;
    let mut positional = positional.into_iter();
    match (positional.next(), positional.next(), positional.next()) {
        (Some(m), Some(u), None) => {
            o.method = m;
            o.url = u;
        }
        (Some(_), None, _) | (None, _, _) => return Err(usage("give METHOD and URL")),
        (_, _, Some(extra)) => return Err(usage(format!("unexpected argument {extra:?}"))),
    }
    Ok(o)
}

fn mask_line(line: &str) -> String {
    match line.split_once(':') {
        Some((n, _)) if n.trim().eq_ignore_ascii_case("x-amz-security-token") => {
            format!("{n}: ** masked **")
        }
        _ => line.to_owned(),
    }
}

/// The region from the environment or the active profile (the core's rule).
fn default_region() -> Result<Option<String>, Failure> {
    let env = crate::host::environment();
    let (credentials, config) = crate::host::shared_files(&env)?;
    let files = ProfileSet::parse(credentials.text.as_deref(), config.text.as_deref()).ok();
    Ok(sigfresh::source::shared::region(&env, files.as_ref()).map(|r| r.name))
}

/// Runs `sigfresh curl`.
pub(crate) fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let o = parse(args)?;
    let url = Url::parse(&o.url).map_err(|e| usage(format!("{:?}: {e}", o.url)))?;
    let service = o
        .service
        .clone()
        .ok_or_else(|| usage("--service is required"))?;
    let region = match o.region.clone() {
        Some(r) => r,
        None => default_region()?.ok_or_else(|| {
            usage("--region is required (or set AWS_REGION, or a profile region)")
        })?,
    };
    let mut settings = crate::sign::settings(o.s3, false, false);
    if o.sign_body {
        settings.content_sha256 = ContentSha256Header::Add;
    }
    let signer = Signer::new(&region, &service, settings).map_err(|e| usage(e.to_string()))?;

    let body = o.data.clone().unwrap_or_default();
    let mut headers = o.headers.clone();
    let has =
        |h: &[(String, String)], name: &str| h.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    if !has(&headers, "content-length")
        && (!body.is_empty() || matches!(o.method.as_str(), "POST" | "PUT" | "PATCH"))
    {
        headers.push(("Content-Length".into(), body.len().to_string()));
    }
    if !has(&headers, "user-agent") {
        headers.push((
            "User-Agent".into(),
            format!("sigfresh/{}", sigfresh::VERSION),
        ));
    }
    // Not signed (hop-by-hop): one request per connection.
    headers.push(("Connection".into(), "close".into()));
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let payload = if o.unsigned {
        Payload::Unsigned
    } else {
        Payload::Bytes(&body)
    };
    let request = SignableRequest::new(&o.method, &o.url, &pairs, payload);

    let skew = Arc::new(ClockSkew::default());
    let mut provider = o.creds.provider(Some(skew.clone()))?;
    let mut response: Option<Response> = None;
    for attempt in 0..2 {
        let credentials = provider.current()?;
        let signed = signer
            .sign(&request, &credentials, skew.corrected(clock::wall()))
            .map_err(|e| fail(format!("cannot sign: {e}")))?;
        let mut bytes = signed.render(&request);
        if o.unsigned {
            // The renderer appends the body for `Payload::Bytes` only.
            bytes.extend_from_slice(&body);
        }
        if o.verbose {
            let head_end = bytes
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap_or(bytes.len());
            for line in String::from_utf8_lossy(&bytes[..head_end]).split("\r\n") {
                eprintln!("> {}", mask_line(line));
            }
        }
        let mut conn = Conn::open(&url, &[], o.timeout)
            .map_err(|e| fail(format!("{}: {e}", url.authority())))?;
        let resp = conn
            .exchange(&bytes, o.method == "HEAD")
            .map_err(|e| fail(format!("{}: {e}", url.authority())))?;
        if o.verbose {
            for line in resp.head_text().trim_end().split("\r\n") {
                eprintln!("< {line}");
            }
        }
        if resp.status < 300 || attempt == 1 {
            response = Some(resp);
            break;
        }
        let hdrs: Vec<(&str, &str)> = resp
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let c = classify(
            &ErrorResponse::new(resp.status, &hdrs, &resp.body),
            Some(&skew),
            clock::wall(),
        );
        let code = c
            .code
            .clone()
            .unwrap_or_else(|| format!("HTTP {}", resp.status));
        match c.action_for_source(credentials.source()) {
            Action::RefreshCredentialsAndRetry if provider.invalidate(&credentials) => {
                eprintln!(
                    "sigfresh: {code}: refreshing the credentials from {} and retrying once",
                    provider.origin()
                );
            }
            Action::CorrectClockAndRetry if skew.offset_millis() != 0 => {
                eprintln!(
                    "sigfresh: {code}: this clock is {} {} AWS's; re-signing with AWS's time and \
                     retrying once",
                    clock::human(skew.offset_millis()),
                    if skew.offset_millis() > 0 {
                        "behind"
                    } else {
                        "ahead of"
                    }
                );
            }
            _ => {
                response = Some(resp);
                break;
            }
        }
    }
    let Some(resp) = response else {
        return Err(fail("no response"));
    };
    if o.include {
        write(out, resp.head_text().as_bytes())?;
    }
    write(out, &resp.body)?;
    if resp.status >= 400 {
        let hdrs: Vec<(&str, &str)> = resp
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let c = classify(
            &ErrorResponse::new(resp.status, &hdrs, &resp.body),
            None,
            clock::wall(),
        );
        eprintln!("sigfresh: {}", c.explain());
        if o.fail_on_error {
            return Err(Failure {
                message: format!("HTTP {} {}", resp.status, resp.reason),
                code: 22,
            });
        }
    }
    Ok(())
}
