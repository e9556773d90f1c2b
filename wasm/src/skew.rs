//! Clock-skew tracking: the core's `skew`.

use crate::credentials::{millis, timestamp};
use crate::error::{self, ErrorInfo, Res};
use crate::pack::Out;
use crate::prelude::*;
use sigfresh::skew::{self, SkewChange, SkewVerdict};
use sigfresh::time::parse_http_date;
use wasm_bindgen::prelude::*;

/// The offset between the server's clock and the host's (the core's `ClockSkew`).
#[wasm_bindgen]
pub struct ClockSkew {
    pub(crate) inner: skew::ClockSkew,
}

/// What one observation did, packed as `adopted\0offset_ms\0measured_ms\0previous_ms`:
/// `1`/`0` for whether the measured offset replaced the one in use, the offset now in use, the
/// one measured and the one in use before (ms, `server − local`).
pub(crate) fn observation(c: SkewChange, before: i64) -> String {
    let mut o = Out::with_capacity(48);
    o.item(if matches!(c, SkewChange::Adopted { .. }) {
        "1"
    } else {
        "0"
    });
    o.item(&c.offset_ms().to_string());
    o.item(&c.measured_ms().to_string());
    o.item(&before.to_string());
    o.text
}

#[wasm_bindgen]
impl ClockSkew {
    /// A tracker with offset 0; `threshold_ms` defaults to the core's 4 minutes.
    #[wasm_bindgen(constructor)]
    pub fn new(threshold_ms: Option<f64>) -> Res<ClockSkew> {
        let inner = match threshold_ms {
            None => skew::ClockSkew::new(),
            Some(t) if t.is_finite() => skew::ClockSkew::with_threshold_millis(t as i64),
            Some(_) => {
                return Err(ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    "thresholdMs must be a finite number of milliseconds",
                )
                .into())
            }
        };
        Ok(ClockSkew { inner })
    }

    /// The offset in use (ms, `server − local`).
    #[wasm_bindgen(getter)]
    pub fn offset_ms(&self) -> f64 {
        self.inner.offset_millis() as f64
    }
    /// The adoption threshold (ms).
    #[wasm_bindgen(getter)]
    pub fn threshold_ms(&self) -> f64 {
        self.inner.threshold_millis() as f64
    }
    /// `local_ms` corrected by the offset in use.
    pub fn corrected(&self, local_ms: f64) -> Res<f64> {
        Ok(millis(
            self.inner.corrected(timestamp(local_ms, "local time")?),
        ))
    }
    /// The server's clock read `server_ms` when the host's read `local_ms`.
    pub fn observe(&self, server_ms: f64, local_ms: f64) -> Res<String> {
        let before = self.inner.offset_millis();
        let c = self.inner.observe(
            timestamp(server_ms, "server time")?,
            timestamp(local_ms, "local time")?,
        );
        Ok(observation(c, before))
    }
    /// Like `observe`, against the midpoint of a round trip; `undefined` when the round trip is
    /// not trusted (negative or longer than 15 minutes).
    pub fn observe_round_trip(
        &self,
        server_ms: f64,
        sent_ms: f64,
        received_ms: f64,
    ) -> Res<Option<String>> {
        let before = self.inner.offset_millis();
        let c = self.inner.observe_round_trip(
            timestamp(server_ms, "server time")?,
            timestamp(sent_ms, "request sent time")?,
            timestamp(received_ms, "response received time")?,
        );
        Ok(c.map(|c| observation(c, before)))
    }
    /// Parses a `Date` header and observes it against `local_ms`.
    pub fn observe_date_header(&self, value: &str, local_ms: f64) -> Res<String> {
        let server = parse_http_date(value).map_err(|e| error::time(&e, "Date header"))?;
        self.observe(millis(server), local_ms)
    }
    /// Forgets the offset.
    pub fn reset(&self) {
        self.inner.reset();
    }
}

#[wasm_bindgen]
/// Parses an HTTP `Date` value (IMF-fixdate and the two obsolete forms) to epoch ms.
pub fn parse_http_date_ms(value: &str) -> Res<f64> {
    Ok(parse_http_date(value)
        .map(millis)
        .map_err(|e| error::time(&e, "HTTP date"))?)
}

pub(crate) fn verdict_name(v: SkewVerdict) -> &'static str {
    match v {
        SkewVerdict::Definite => "definite",
        SkewVerdict::Likely => "likely",
        SkewVerdict::Possible => "possible",
        SkewVerdict::Unlikely => "unlikely",
        _ => "not-skew",
    }
}

/// The core's `is_skew_error`: `definite`, `likely`, `possible`, `unlikely` or `not-skew`.
#[wasm_bindgen]
pub fn is_skew_error(code: Option<String>, status: u16, measured_offset_ms: Option<f64>) -> String {
    let offset = measured_offset_ms
        .filter(|m| m.is_finite())
        .map(|m| m as i64);
    verdict_name(skew::is_skew_error(code.as_deref(), status, offset)).to_owned()
}
