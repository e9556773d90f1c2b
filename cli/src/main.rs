//! `sigfresh`: the command-line host of the sigfresh core.
//!
//! This binary does the I/O the core plans (reading files, stdin, the clock) and prints what
//! the core decides. Every signing rule lives in the `sigfresh` crate.

use sigfresh::credentials::Credentials;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{
    ContentSha256Header, PathNormalization, Payload, SessionTokenMode, SignableRequest, Signer,
    SigningOutput, SigningSettings, UriEncoding,
};
use sigfresh::time::{parse_amz_date, parse_rfc3339, Timestamp};
use std::io::{Read, Write};
use std::process::ExitCode;

const MAIN_HELP: &str = "\
sigfresh — sign AWS requests with SigV4, and see every stage of the signature

USAGE:
    sigfresh <COMMAND> [OPTIONS]

COMMANDS:
    sign      Sign a raw HTTP/1.1 request read from a file or stdin
    help      Show this help, or `sigfresh help <COMMAND>`

OPTIONS:
    -h, --help       Show help
    -V, --version    Show the version

Run `sigfresh sign --help` for examples.
";

const SIGN_HELP: &str = "\
sigfresh sign — sign a raw HTTP/1.1 request and print the result

USAGE:
    sigfresh sign [FILE|-] --region REGION --service SERVICE [OPTIONS]

The request is the text of an HTTP/1.1 request (request line, headers, blank line, body), as in
the AWS SigV4 test suite's .req files. The target may be an origin-form path (with a Host
header) or an absolute URL. Lines may end in LF or CRLF; output uses the input's line ending.

CREDENTIALS:
    --access-key-id ID           Access key id
    --secret-access-key KEY      Secret access key
    --session-token TOKEN        Session token of temporary credentials

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
";

/// A failure: the message, and whether it was a usage error (exit 2) or a failure (exit 1).
struct Failure {
    message: String,
    usage: bool,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        usage: true,
    }
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        usage: false,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    match run(&args, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("sigfresh: error: {}", f.message);
            if f.usage {
                eprintln!("Run `sigfresh --help` for usage.");
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let write = |out: &mut dyn Write, bytes: &[u8]| {
        out.write_all(bytes)
            .map_err(|e| fail(format!("cannot write output: {e}")))
    };
    match args.first().map(String::as_str) {
        None | Some("-h" | "--help") => write(out, MAIN_HELP.as_bytes()),
        Some("help") => match args.get(1).map(String::as_str) {
            Some("sign") => write(out, SIGN_HELP.as_bytes()),
            None => write(out, MAIN_HELP.as_bytes()),
            Some(other) => Err(usage(format!("no help for unknown command {other:?}"))),
        },
        Some("-V" | "--version") => {
            write(out, format!("sigfresh {}\n", sigfresh::VERSION).as_bytes())
        }
        Some("sign") => {
            if args[1..].iter().any(|a| a == "-h" || a == "--help") {
                return write(out, SIGN_HELP.as_bytes());
            }
            let bytes = sign(&args[1..])?;
            write(out, &bytes)
        }
        Some(other) => Err(usage(format!("unknown command {other:?}"))),
    }
}

#[derive(Default)]
struct SignArgs {
    input: Option<String>,
    region: Option<String>,
    service: Option<String>,
    time: Option<String>,
    akid: Option<String>,
    secret: Option<String>,
    token: Option<String>,
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

fn parse_sign_args(args: &[String]) -> Result<SignArgs, Failure> {
    let mut a = SignArgs::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--region" => a.region = Some(value("--region")?),
            "--service" => a.service = Some(value("--service")?),
            "--time" => a.time = Some(value("--time")?),
            "--access-key-id" => a.akid = Some(value("--access-key-id")?),
            "--secret-access-key" => a.secret = Some(value("--secret-access-key")?),
            "--session-token" => a.token = Some(value("--session-token")?),
            "--print" => a.print = Some(value("--print")?),
            "--expires" => {
                let v = value("--expires")?;
                a.expires = Some(v.parse().map_err(|_| {
                    usage(format!(
                        "--expires takes a whole number of seconds, not {v:?}"
                    ))
                })?);
            }
            "--query" => a.query = true,
            "--no-normalize-path" => a.no_normalize = true,
            "--single-encode" => a.single_encode = true,
            "--s3" => a.s3 = true,
            "--sign-body" => a.sign_body = true,
            "--unsigned-payload" => a.unsigned_payload = true,
            "--omit-session-token" => a.omit_token = true,
            s if s.starts_with("--") => return Err(usage(format!("unknown option {s:?}"))),
            s => {
                if a.input.replace(s.to_string()).is_some() {
                    return Err(usage("give one request file (or - for stdin)"));
                }
            }
        }
    }
    Ok(a)
}

fn parse_time(s: &str) -> Result<Timestamp, Failure> {
    parse_amz_date(s)
        .or_else(|_| parse_rfc3339(s))
        .map_err(|e| {
            usage(format!(
                "--time {s:?}: {e}; use RFC 3339 (2015-08-30T12:36:00Z) or 20150830T123600Z"
            ))
        })
}

#[allow(clippy::disallowed_methods)] // The CLI is a host: reading the clock is its job.
fn now() -> Timestamp {
    Timestamp::from_system_time(std::time::SystemTime::now())
}

fn read_input(input: Option<&str>) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    match input {
        None | Some("-") => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| fail(format!("cannot read stdin: {e}")))?;
        }
        Some(path) => {
            bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read {path}: {e}")))?;
        }
    }
    Ok(bytes)
}

fn sign(args: &[String]) -> Result<Vec<u8>, Failure> {
    let a = parse_sign_args(args)?;
    let region = a
        .region
        .as_deref()
        .ok_or_else(|| usage("--region is required"))?;
    let service = a
        .service
        .as_deref()
        .ok_or_else(|| usage("--service is required"))?;
    let time = match &a.time {
        Some(t) => parse_time(t)?,
        None => now(),
    };
    let akid = a
        .akid
        .clone()
        .ok_or_else(|| usage("--access-key-id is required"))?;
    let secret = a
        .secret
        .clone()
        .ok_or_else(|| usage("--secret-access-key is required"))?;
    let creds = Credentials::builder(akid, secret)
        .session_token_opt(a.token.clone())
        .build()
        .map_err(|e| usage(format!("credentials: {e}")))?;

    let mut settings = if a.s3 {
        SigningSettings::s3()
    } else {
        SigningSettings::default()
    };
    if a.single_encode {
        settings.uri_encoding = UriEncoding::Single;
    }
    if a.no_normalize {
        settings.path_normalization = PathNormalization::Disabled;
    }
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
    let out = signer
        .sign(&request, &creds, time)
        .map_err(|e| fail(format!("cannot sign: {e}")))?;
    let crlf = input.windows(2).any(|w| w == b"\r\n");
    render(
        a.print.as_deref().unwrap_or("signed-request"),
        &out,
        &request,
        crlf,
    )
}

fn line(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(b'\n');
    v
}

fn render(
    what: &str,
    out: &SigningOutput,
    request: &SignableRequest<'_>,
    crlf: bool,
) -> Result<Vec<u8>, Failure> {
    let signed_request = || {
        let mut bytes = out.render(request);
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
    };
    Ok(match what {
        "canonical-request" => line(out.canonical_request()),
        "string-to-sign" => line(out.string_to_sign()),
        "signature" => line(out.signature()),
        "authorization" => match out.authorization() {
            Some(a) => line(a),
            None => return Err(usage("--print authorization needs header signing (not --query)")),
        },
        "signed-request" => signed_request(),
        "json" => {
            let headers: serde_json::Map<String, serde_json::Value> =
                out.headers().map(|(k, v)| (k.to_string(), v.into())).collect();
            let query: serde_json::Map<String, serde_json::Value> =
                out.query_params().map(|(k, v)| (k.to_string(), v.into())).collect();
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
                    String::from_utf8_lossy(&signed_request()).into_owned().into(),
                );
            }
            let mut s = serde_json::to_string_pretty(&v).map_err(|e| fail(e.to_string()))?;
            s.push('\n');
            s.into_bytes()
        }
        other => {
            return Err(usage(format!(
                "--print {other:?}: use canonical-request, string-to-sign, signature, authorization, signed-request or json"
            )))
        }
    })
}
