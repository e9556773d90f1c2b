//! `sigfresh verify`: checks a signed request with the core's verifier and reports the precise
//! reason when it fails.

use crate::args::{self, Args};
use crate::creds::{self, CredArgs};
use crate::{clock, fail, read_input, usage, write, Failure};
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{
    verify, PathNormalization, Payload, PresignedPayload, SessionTokenMode, SignableRequest,
    UriEncoding, VerifyError, VerifySettings,
};
use std::io::Write;

const HEAD: &str = "\
sigfresh verify — check a signed request's SigV4 signature

USAGE:
    sigfresh verify [FILE|-] --credentials FILE [OPTIONS]

Reads a signed HTTP/1.1 request (header-signed, or a presigned URL as the request target) and
recomputes its signature over exactly the headers it says it signed, as AWS does. Prints OK and
what was signed, or the precise reason it fails: unknown key, missing signed header, clock
skew, expired URL, wrong session token, or a signature mismatch with the canonical request
and string to sign the verifier computed. Exits 0 when valid, 1 when not.

";

const TAIL: &str = "
VERIFYING:
    --time TIME                  The verifier's clock, RFC 3339 or 20150830T123600Z (default
                                 now); pass the signing time to check an old request
    --max-skew SECONDS           Allowed distance between signing time and --time (default 900)
    --s3                         S3 rules: path encoded once and not normalized
    --single-encode              The path was encoded once
    --no-normalize-path          The path was not normalized
    --omit-session-token         A presigned URL's X-Amz-Security-Token was not signed
    --unsigned-payload           The payload was signed as UNSIGNED-PAYLOAD (implied by --s3
                                 for a presigned URL, as S3 presigns)

EXAMPLES:
    # The suite's signed get-vanilla request, checked at its signing time
    sigfresh verify tests/vectors/sigv4-suite/get-vanilla/get-vanilla.sreq \\
        --time 20150830T123600Z --access-key-id AKIDEXAMPLE \\
        --secret-access-key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

    # What `sigfresh sign` produced, against an IMDS credentials document
    sigfresh sign req.txt --region us-east-1 --service sqs --credentials creds.json |
        sigfresh verify - --credentials creds.json
";

/// The help text.
pub(crate) fn help() -> String {
    format!("{HEAD}{}{TAIL}", creds::HELP)
}

/// Runs `sigfresh verify`.
pub(crate) fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let mut input = None;
    let mut time = None;
    let mut settings = VerifySettings::default();
    let mut unsigned = false;
    let mut cred = CredArgs::default();
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg()? {
        if cred.take(&arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--time" => time = Some(clock::parse_time("--time", &it.value(&arg)?)?),
            "--max-skew" => {
                settings.max_skew_secs = it.number(&arg, "a whole number of seconds")?
            }
            "--s3" => {
                settings.uri_encoding = UriEncoding::Single;
                settings.path_normalization = PathNormalization::Disabled;
                settings.presigned_payload = PresignedPayload::Unsigned;
            }
            "--unsigned-payload" => unsigned = true,
            "--single-encode" => settings.uri_encoding = UriEncoding::Single,
            "--no-normalize-path" => settings.path_normalization = PathNormalization::Disabled,
            "--omit-session-token" => settings.session_token = SessionTokenMode::AppendAfterSigning,
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => {
                if input.replace(s.to_owned()).is_some() {
                    return Err(usage("give one request file (or - for stdin)"));
                }
            }
        }
    }
    it.finish()?;
    let now = time.unwrap_or_else(clock::wall);
    let loaded = cred.load()?;
    let bytes = read_input(input.as_deref())?;
    let raw = RawRequest::parse(&bytes).map_err(|e| fail(format!("request: {e}")))?;
    let headers = raw.header_pairs();
    let request = SignableRequest::new(raw.method, raw.target, &headers, payload(&raw, unsigned));
    let credentials = loaded.credentials.clone();
    let ours = credentials.access_key_id().as_str().to_owned();
    let result = verify(
        &request,
        |id| (id == ours).then(|| credentials.clone()),
        now,
        &settings,
    );
    match result {
        Ok(v) => {
            let mut text = format!(
                "OK: the signature is valid\n  access key id:   {}\n  region/service:  {}/{}\n  \
                 signed at:       {}\n  signed headers:  {}\n",
                v.access_key_id,
                v.region,
                v.service,
                v.signed_at,
                v.signed_headers.join(";")
            );
            if let Some(e) = v.expires_at {
                text.push_str(&format!("  URL valid until: {e}\n"));
            }
            write(out, text.as_bytes())
        }
        Err(e) => {
            let mut text = format!("FAILED: {e}\n");
            text.push_str(&format!("fix: {}\n", hint(&e, &ours)));
            write(out, text.as_bytes())?;
            Err(fail(format!("the request does not verify: {}", short(&e))))
        }
    }
}

/// The payload description of a received request: its body, or `UNSIGNED-PAYLOAD` when asked.
/// (An S3 presigned URL is verified over `UNSIGNED-PAYLOAD` by the core's S3 settings.)
pub(crate) fn payload<'a>(raw: &RawRequest<'a>, unsigned: bool) -> Payload<'a> {
    if unsigned {
        Payload::Unsigned
    } else {
        Payload::Bytes(raw.body)
    }
}

/// The reason on one line (the mismatch's full text goes to stdout).
fn short(e: &VerifyError) -> String {
    match e {
        VerifyError::SignatureMismatch { .. } => "signature does not match".to_owned(),
        other => other.to_string(),
    }
}

fn hint(e: &VerifyError, ours: &str) -> String {
    match e {
        VerifyError::MissingSignature => "sign the request first (sigfresh sign)".into(),
        VerifyError::UnknownAccessKey(id) => format!(
            "the request was signed by {id} but the credentials given are {ours}; verify with \
             the credentials that signed it"
        ),
        VerifyError::MissingSignedHeader(h) => format!(
            "the header {h} was signed but is not in the request: something removed it after \
             signing, or it must be sent as signed"
        ),
        VerifyError::RequestTimeTooSkewed { .. } => {
            "fix the signer's clock (NTP), or pass --time with the time the request was \
             received to check an old request"
                .into()
        }
        VerifyError::Expired { .. } => "make a new presigned URL".into(),
        VerifyError::CredentialsExpired { .. } => {
            "refresh the credentials and sign again (temporary credentials expire; \
             `sigfresh credentials` shows when)"
                .into()
        }
        VerifyError::SessionTokenMismatch => {
            "send the session token that was issued with these credentials (X-Amz-Security-Token)"
                .into()
        }
        VerifyError::SignatureMismatch { .. } => {
            "the secret key is not the one that signed, or the request changed after signing \
             (compare the canonical request above with the signer's: sigfresh sign --print \
             canonical-request); S3 requests need --s3"
                .into()
        }
        _ => "re-sign the request".into(),
    }
}
