//! `sigfresh presign URL`: a presigned URL, and a warning when it would outlive the
//! credentials that signed it.

use crate::args::{self, Args};
use crate::creds::{self, CredArgs};
use crate::{clock, fail, usage, write, Failure};
use sigfresh::sigv4::{Payload, PresignedLifetime, SessionTokenMode, SignableRequest, Signer};
use std::io::Write;

const HEAD: &str = "\
sigfresh presign — print a presigned URL (SigV4 in the query string)

USAGE:
    sigfresh presign URL --region REGION --service SERVICE [OPTIONS]

Prints the URL with X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders,
-Security-Token and -Signature appended. A presigned URL signed with temporary credentials stops
working when their session token expires, whatever X-Amz-Expires says: when that comes first,
a warning on stderr says when the URL will really stop working.

";

const TAIL: &str = "
SIGNING:
    --region REGION              Region, e.g. us-east-1 (required)
    --service SERVICE            Signing name, e.g. s3 (required)
    --method METHOD              HTTP method the URL is for (default GET)
    --expires SECONDS            X-Amz-Expires, 1..604800 (default 900)
    --time TIME                  Signing time, RFC 3339 or 20150830T123600Z (default now)
    --s3                         S3 rules: path encoded once, not normalized, and the payload
                                 signed as UNSIGNED-PAYLOAD
    --single-encode              Encode the path once instead of twice
    --no-normalize-path          Sign the path exactly as given
    --unsigned-payload           Sign UNSIGNED-PAYLOAD (default for --s3; otherwise the hash of
                                 an empty body)
    --omit-session-token         Append X-Amz-Security-Token after signing, unsigned (IoT)

EXAMPLES:
    # The S3 documentation's presigned GET (valid 24 hours)
    sigfresh presign https://examplebucket.s3.amazonaws.com/test.txt \\
        --region us-east-1 --service s3 --s3 --expires 86400 --time 20130524T000000Z \\
        --access-key-id AKIAIOSFODNN7EXAMPLE \\
        --secret-access-key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

    # A week-long URL with instance-role credentials: warns that it dies with the token
    sigfresh presign https://my-bucket.s3.eu-west-1.amazonaws.com/report.pdf \\
        --region eu-west-1 --service s3 --s3 --expires 604800
";

/// The help text.
pub(crate) fn help() -> String {
    format!("{HEAD}{}{TAIL}", creds::HELP)
}

/// Runs `sigfresh presign`.
pub(crate) fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let mut url = None;
    let (mut region, mut service, mut time, mut method) = (None, None, None, None);
    let mut expires: u32 = 900;
    let (mut s3, mut single, mut no_norm, mut unsigned, mut omit) =
        (false, false, false, false, false);
    let mut cred = CredArgs::default();
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg()? {
        if cred.take(&arg, &mut it)? {
            continue;
        }
        match arg.as_str() {
            "--region" => region = Some(it.value(&arg)?),
            "--service" => service = Some(it.value(&arg)?),
            "--time" => time = Some(clock::parse_time("--time", &it.value(&arg)?)?),
            "--method" => method = Some(it.value(&arg)?),
            "--expires" => expires = it.number(&arg, "a whole number of seconds")?,
            "--s3" => s3 = true,
            "--single-encode" => single = true,
            "--no-normalize-path" => no_norm = true,
            "--unsigned-payload" => unsigned = true,
            "--omit-session-token" => omit = true,
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => {
                if url.replace(s.to_owned()).is_some() {
                    return Err(usage("give one URL"));
                }
            }
        }
    }
    it.finish()?;
    let url = url.ok_or_else(|| usage("give the URL to presign"))?;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(usage(format!(
            "{url:?} is not an absolute http:// or https:// URL"
        )));
    }
    let region = region.ok_or_else(|| usage("--region is required"))?;
    let service = service.ok_or_else(|| usage("--service is required"))?;
    let method = method.unwrap_or_else(|| "GET".to_owned());
    let time = time.unwrap_or_else(clock::wall);
    let mut settings = crate::sign::settings(s3, single, no_norm);
    if omit {
        settings.session_token = SessionTokenMode::AppendAfterSigning;
    }
    let signer = Signer::new(&region, &service, settings.presigned(expires))
        .map_err(|e| usage(e.to_string()))?;
    // With --s3 the core presigns UNSIGNED-PAYLOAD (SigningSettings::s3); --unsigned-payload
    // asks for it with any service.
    let payload = if unsigned {
        Payload::Unsigned
    } else {
        Payload::Bytes(b"")
    };
    let loaded = cred.load()?;
    let request = SignableRequest::new(&method, &url, &[], payload);
    let signed = signer
        .sign(&request, &loaded.credentials, time)
        .map_err(|e| fail(format!("cannot sign: {e}")))?;
    write(out, format!("{}\n", signed.signed_uri(&request)).as_bytes())?;
    if let Some(w) = lifetime_warning(&PresignedLifetime::of(&loaded.credentials, time, expires)) {
        eprintln!("sigfresh: warning: {w}");
    }
    Ok(())
}

/// The warning for a URL whose credentials stop working before it says it expires (the core
/// computes the lifetime; this only words it).
fn lifetime_warning(l: &PresignedLifetime) -> Option<String> {
    let (signed_at, url_end, end) = (l.signed_at, l.url_expires_at, l.ends_at);
    if l.dead_on_arrival() {
        Some(format!(
            "the credentials expired at {end}, before the signing time {signed_at}: \
             AWS will reject this URL at once (ExpiredToken)"
        ))
    } else if l.cut_short {
        Some(format!(
            "the URL says it is valid for {} (until {url_end}), but the credentials \
             that signed it expire at {end}: it will stop working at {end}, {} after signing. \
             Sign with long-term credentials, or shorten --expires to {}",
            clock::human(url_end.millis_since(signed_at)),
            clock::human(l.effective_millis()),
            l.effective_millis() / 1000
        ))
    } else if l.expiry_unknown {
        Some(format!(
            "the URL is signed with a session token of unknown expiry: it stops working when \
             that token expires, which may be before {url_end}"
        ))
    } else {
        None
    }
}
