//! `sigfresh sign`: a raw HTTP/1.1 request in, any signing stage out, byte-exact.

use crate::args::{self, Args};
use crate::creds::{self, CredArgs};
use crate::{clock, fail, read_input, usage, Failure};
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{
    ContentSha256Header, PathNormalization, Payload, SessionTokenMode, SignableRequest, Signer,
    SigningOutput, SigningSettings, UriEncoding,
};

const HEAD: &str = "\
sigfresh sign — sign a raw HTTP/1.1 request and print the result

USAGE:
    sigfresh sign [FILE|-] --region REGION --service SERVICE [OPTIONS]

The request is the text of an HTTP/1.1 request (request line, headers, blank line, body), as in
the AWS SigV4 test suite's .req files. The target may be an origin-form path (with a Host
header) or an absolute URL. Lines may end in LF or CRLF; output uses the input's line ending.

";

const TAIL: &str = "
SIGNING:
    --region REGION              Region, e.g. us-east-1 (required)
    --service SERVICE            Signing name, e.g. s3, execute-api (required)
    --time TIME                  Signing time: RFC 3339 (2015-08-30T12:36:00Z) or
                                 20150830T123600Z. Default: now (this machine's clock)
    --query                      Sign into the query string (presigned URL)
    --expires SECONDS            X-Amz-Expires for --query, 1..604800 (default 900)
    --no-normalize-path          Sign the path exactly as given (no . / .. / // removal)
    --single-encode              Encode the path once (S3) instead of twice
    --s3                         All S3 rules: --single-encode --no-normalize-path and
                                 an x-amz-content-sha256 header
    --sign-body                  Add x-amz-content-sha256 with the body's hash
    --unsigned-payload           Sign UNSIGNED-PAYLOAD instead of the body's hash
    --omit-session-token         Add the session token after signing, unsigned (IoT style)

OUTPUT:
    --print WHAT                 canonical-request | string-to-sign | signature |
                                 authorization | signed-request (default) | json

EXAMPLES:
    # Sign the official suite's get-vanilla request and show every stage as JSON
    sigfresh sign tests/vectors/sigv4-suite/get-vanilla/get-vanilla.req \\
        --region us-east-1 --service service --time 20150830T123600Z \\
        --access-key-id AKIDEXAMPLE \\
        --secret-access-key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY --print json

    # Presign an S3 GET for 15 minutes
    printf 'GET https://bucket.s3.amazonaws.com/key.txt HTTP/1.1\\n\\n' |
        sigfresh sign - --region us-east-1 --service s3 --s3 --query --expires 900 \\
        --access-key-id AKID --secret-access-key SECRET --print signed-request

    # Sign with the credentials an IMDS or credential_process document holds
    sigfresh sign request.txt --region eu-west-1 --service sqs --credentials creds.json
";

/// The help text.
pub(crate) fn help() -> String {
    format!("{HEAD}{}{TAIL}", creds::HELP)
}

/// What to print.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Print {
    CanonicalRequest,
    StringToSign,
    Signature,
    Authorization,
    SignedRequest,
    Json,
}

fn parse_print(v: &str) -> Result<Print, Failure> {
    Ok(match v {
        "canonical-request" => Print::CanonicalRequest,
        "string-to-sign" => Print::StringToSign,
        "signature" => Print::Signature,
        "authorization" => Print::Authorization,
        "signed-request" => Print::SignedRequest,
        "json" => Print::Json,
        other => {
            return Err(usage(format!(
                "--print {other:?}: use canonical-request, string-to-sign, signature, \
                 authorization, signed-request or json"
            )))
        }
    })
}

#[derive(Default)]
struct SignArgs {
    input: Option<String>,
    region: Option<String>,
    service: Option<String>,
    time: Option<String>,
    creds: CredArgs,
    query: bool,
    expires: Option<u32>,
    no_normalize: bool,
    single_encode: bool,
    s3: bool,
    sign_body: bool,
    unsigned_payload: bool,
    omit_token: bool,
    print: Option<String>,
}

fn parse_args(args: &[String]) -> Result<SignArgs, Failure> {
    let mut a = SignArgs::default();
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg()? {
        if a.creds.take(&arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--region" => a.region = Some(it.value(&arg)?),
            "--service" => a.service = Some(it.value(&arg)?),
            "--time" => a.time = Some(it.value(&arg)?),
            "--print" => a.print = Some(it.value(&arg)?),
            "--expires" => a.expires = Some(it.number(&arg, "a whole number of seconds")?),
            "--query" => a.query = true,
            "--no-normalize-path" => a.no_normalize = true,
            "--single-encode" => a.single_encode = true,
            "--s3" => a.s3 = true,
            "--sign-body" => a.sign_body = true,
            "--unsigned-payload" => a.unsigned_payload = true,
            "--omit-session-token" => a.omit_token = true,
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => {
                if a.input.replace(s.to_string()).is_some() {
                    return Err(usage("give one request file (or - for stdin)"));
                }
            }
        }
    }
    it.finish()?;
    Ok(a)
}

/// The signing rules the path flags ask for (shared with `presign`).
pub(crate) fn settings(s3: bool, single_encode: bool, no_normalize: bool) -> SigningSettings {
    let mut settings = if s3 {
        SigningSettings::s3()
    } else {
        SigningSettings::default()
    };
    if single_encode {
        settings.uri_encoding = UriEncoding::Single;
    }
    if no_normalize {
        settings.path_normalization = PathNormalization::Disabled;
    }
    settings
}

/// Runs `sigfresh sign` and returns what to print.
pub(crate) fn run(args: &[String]) -> Result<Vec<u8>, Failure> {
    let a = parse_args(args)?;
    let region = a
        .region
        .as_deref()
        .ok_or_else(|| usage("--region is required"))?;
    let service = a
        .service
        .as_deref()
        .ok_or_else(|| usage("--service is required"))?;
    let time = match &a.time {
        Some(t) => clock::parse_time("--time", t)?,
        None => clock::wall(),
    };
    let print = parse_print(a.print.as_deref().unwrap_or("signed-request"))?;
    let fixed = a.creds.fixed()?;

    let mut settings = settings(a.s3, a.single_encode, a.no_normalize);
    if a.omit_token {
        settings.session_token = SessionTokenMode::AppendAfterSigning;
    }
    if a.sign_body {
        settings.content_sha256 = ContentSha256Header::Add;
    }
    if a.query {
        settings = settings.presigned(a.expires.unwrap_or(900));
    } else if a.expires.is_some() {
        return Err(usage("--expires only applies with --query"));
    }
    if a.query && print == Print::Authorization {
        return Err(usage(
            "--print authorization needs header signing (not --query)",
        ));
    }
    let signer = Signer::new(region, service, settings).map_err(|e| usage(e.to_string()))?;

    let input = read_input(a.input.as_deref())?;
    let raw = RawRequest::parse(&input).map_err(|e| fail(format!("request: {e}")))?;
    let headers = raw.header_pairs();
    let payload = if a.unsigned_payload {
        Payload::Unsigned
    } else {
        Payload::Bytes(raw.body)
    };
    let request = SignableRequest::new(raw.method, raw.target, &headers, payload);
    let creds = match fixed {
        Some(l) => l,
        None => creds::from_chain(a.creds.profile.as_deref())?,
    };
    let out = signer
        .sign(&request, &creds.credentials, time)
        .map_err(|e| fail(format!("cannot sign: {e}")))?;
    let crlf = input.windows(2).any(|w| w == b"\r\n");
    render(print, &out, &request, raw.body, crlf)
}

fn line(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(b'\n');
    v
}

/// The signed request in the input's line-ending style.
fn signed_request(
    out: &SigningOutput,
    request: &SignableRequest<'_>,
    body: &[u8],
    crlf: bool,
) -> Vec<u8> {
    let mut bytes = out.render(request);
    if !matches!(request.payload, Payload::Bytes(_)) {
        // The renderer appends the body for `Payload::Bytes` only.
        bytes.extend_from_slice(body);
    }
    if !crlf {
        // The renderer writes CRLF (HTTP/1.1); match an LF input in the head only.
        let head_end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(bytes.len(), |p| p + 4);
        let body = bytes.split_off(head_end);
        bytes.retain(|&b| b != b'\r');
        bytes.extend_from_slice(&body);
    }
    bytes
}

fn render(
    what: Print,
    out: &SigningOutput,
    request: &SignableRequest<'_>,
    body: &[u8],
    crlf: bool,
) -> Result<Vec<u8>, Failure> {
    Ok(match what {
        Print::CanonicalRequest => line(out.canonical_request()),
        Print::StringToSign => line(out.string_to_sign()),
        Print::Signature => line(out.signature()),
        Print::Authorization => match out.authorization() {
            Some(a) => line(a),
            None => {
                return Err(usage(
                    "--print authorization needs header signing (not --query)",
                ))
            }
        },
        Print::SignedRequest => signed_request(out, request, body, crlf),
        Print::Json => {
            let headers: serde_json::Map<String, serde_json::Value> = out
                .headers()
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect();
            let query: serde_json::Map<String, serde_json::Value> = out
                .query_params()
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect();
            let mut v = serde_json::json!({
                "canonical_request": out.canonical_request(),
                "string_to_sign": out.string_to_sign(),
                "signature": out.signature(),
                "authorization": out.authorization(),
                "headers": headers,
                "query_params": query,
                "signed_uri": out.signed_uri(request),
            });
            if let Some(m) = v.as_object_mut() {
                m.insert(
                    "signed_request".into(),
                    String::from_utf8_lossy(&signed_request(out, request, body, crlf))
                        .into_owned()
                        .into(),
                );
            }
            let mut s = serde_json::to_string_pretty(&v).map_err(|e| fail(e.to_string()))?;
            s.push('\n');
            s.into_bytes()
        }
    })
}
