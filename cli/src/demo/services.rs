//! The demo's two stand-ins, as request handlers for [`super::server`]:
//!
//! * an IMDS stand-in (IMDSv2 only: session token, role name, role credentials) that hands out
//!   the [`Schedule`]'s credential sets by the virtual clock;
//! * an API that checks SigV4 with the core's `sigv4::verify` and, like AWS, answers
//!   `403 ExpiredToken` ("The security token included in the request is expired") when the
//!   request is signed with credentials whose session token has expired.

use super::server::Reply;
use super::sim::{Schedule, SimClock};
use crate::clock::http_date;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{verify, Payload, SignableRequest, VerifyError, VerifySettings};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The role the IMDS stand-in reports.
pub(crate) const ROLE: &str = "sigfresh-demo-role";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// The IMDS stand-in's state: the schedule, the clock, and the session tokens it issued.
pub(crate) struct Imds {
    pub(crate) schedule: Arc<Schedule>,
    pub(crate) clock: Arc<SimClock>,
    tokens: Mutex<HashMap<String, sigfresh::time::Timestamp>>,
    next_token: AtomicU64,
}

impl Imds {
    pub(crate) fn new(schedule: Arc<Schedule>, clock: Arc<SimClock>) -> Imds {
        Imds {
            schedule,
            clock,
            tokens: Mutex::new(HashMap::new()),
            next_token: AtomicU64::new(1),
        }
    }

    /// Answers one IMDS request.
    pub(crate) fn handle(&self, req: &RawRequest<'_>) -> Reply {
        let now = self.clock.now();
        let date = http_date(now);
        let reply = |status, reason, body: String| {
            Reply::new(status, reason, body).header("Date", date.clone())
        };
        if req.target == TOKEN_PATH {
            if req.method != "PUT" {
                return reply(405, "Method Not Allowed", String::new());
            }
            let ttl = req
                .header("x-aws-ec2-metadata-token-ttl-seconds")
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|t| (1..=21_600).contains(t));
            let Some(ttl) = ttl else {
                return reply(400, "Bad Request", String::new());
            };
            let n = self.next_token.fetch_add(1, Ordering::Relaxed);
            let token = format!("AQAEAdemo{n:08}token==");
            self.tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(token.clone(), now.offset_millis(ttl * 1000));
            return reply(200, "OK", token)
                .header("x-aws-ec2-metadata-token-ttl-seconds", ttl.to_string());
        }
        let valid = req.header("x-aws-ec2-metadata-token").is_some_and(|t| {
            self.tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(t)
                .is_some_and(|&exp| now < exp)
        });
        if !valid {
            return reply(401, "Unauthorized", String::new());
        }
        match req.target.strip_prefix(ROLE_PATH) {
            Some("") => reply(200, "OK", ROLE.to_owned()),
            Some(ROLE) => match self.schedule.current(now) {
                Some(set) => {
                    let c = &set.credentials;
                    let doc = serde_json::json!({
                        "Code": "Success",
                        "LastUpdated": set.issued.to_string(),
                        "Type": "AWS-HMAC",
                        "AccessKeyId": c.access_key_id().as_str(),
                        "SecretAccessKey": c.secret_access_key().expose_secret(),
                        "Token": c.session_token().map(|t| t.expose_secret()),
                        "Expiration": set.expires.to_string(),
                    });
                    reply(200, "OK", doc.to_string())
                }
                None => reply(404, "Not Found", String::new()),
            },
            _ => reply(404, "Not Found", String::new()),
        }
    }
}

fn aws_error(status: u16, reason: &'static str, code: &str, message: &str, date: String) -> Reply {
    let message = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>\
         </Error><RequestId>sigfresh-demo</RequestId></ErrorResponse>"
    );
    Reply::new(status, reason, body)
        .header("Date", date)
        .header("Content-Type", "text/xml")
}

/// Answers one API request: verify the signature, then reject expired session tokens.
pub(crate) fn api(
    schedule: &Schedule,
    clock: &SimClock,
    req: &RawRequest<'_>,
    body: &[u8],
) -> Reply {
    let now = clock.now();
    let date = http_date(now);
    let headers = req.header_pairs();
    let signable = SignableRequest::new(req.method, req.target, &headers, Payload::Bytes(body));
    let mut signer = None;
    let result = verify(
        &signable,
        |akid| {
            let set = schedule.by_akid(akid)?;
            signer = Some(set);
            Some(set.credentials.clone())
        },
        now,
        &VerifySettings::default(),
    );
    // AWS rejects an expired session token whatever else is right about the request.
    if signer.is_some_and(|s| now >= s.expires) {
        return aws_error(
            403,
            "Forbidden",
            "ExpiredToken",
            "The security token included in the request is expired",
            date,
        );
    }
    match result {
        Ok(v) => Reply::new(
            200,
            "OK",
            serde_json::json!({"ok": true, "caller": v.access_key_id}).to_string(),
        )
        .header("Date", date)
        .header("Content-Type", "application/json"),
        Err(VerifyError::UnknownAccessKey(_)) => aws_error(
            403,
            "Forbidden",
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            date,
        ),
        Err(VerifyError::RequestTimeTooSkewed { .. }) => aws_error(
            403,
            "Forbidden",
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            date,
        ),
        Err(VerifyError::SignatureMismatch { .. }) => aws_error(
            403,
            "Forbidden",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
            date,
        ),
        Err(e) => aws_error(
            400,
            "Bad Request",
            "IncompleteSignature",
            &e.to_string(),
            date,
        ),
    }
}
