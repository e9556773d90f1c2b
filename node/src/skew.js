// Clock-skew correction and AWS error classification: the core's `skew` and `classify`.
import { bytes, millis, object, optFunction, optNumber, optString, packHeaders } from './convert.js';
import { fromWasm, typeError } from './errors.js';
import { check, feature, w } from './wasm.js';

const HANDLE = Symbol('sigfresh.skew');

function observation(packed) {
  if (packed === undefined) return null;
  const [adopted, offset, measured, previous] = packed.split('\0');
  return {
    adopted: adopted === '1',
    offsetMs: Number(offset),
    measuredMs: Number(measured),
    previousOffsetMs: Number(previous),
  };
}

export function readClock(clock) {
  return millis(clock(), 'clock()');
}

/**
 * How far the server's clock is from this host's. Feed it server times (a response's `Date`
 * header, or `classifyError`); sign with `now()` (or pass it as `options.clockSkew`).
 */
export class ClockSkew {
  /** @param {{thresholdMs?: number, clock?: () => number|Date}} [options] */
  constructor(options = {}) {
    check();
    object(options, 'options');
    this.clock = optFunction(options.clock, 'options.clock') ?? Date.now;
    try {
      this[HANDLE] = new w.ClockSkew(optNumber(options.thresholdMs, 'options.thresholdMs'));
    } catch (e) {
      throw fromWasm(e);
    }
  }
  /** The offset in use: server minus local, in milliseconds. */
  get offsetMs() {
    return this[HANDLE].offset_ms;
  }
  /** The adoption threshold in milliseconds (default 4 minutes). */
  get thresholdMs() {
    return this[HANDLE].threshold_ms;
  }
  /** The corrected current time, epoch milliseconds (what to sign with). */
  now() {
    return this[HANDLE].corrected(readClock(this.clock));
  }
  /** `local` (default: the clock) corrected by the offset in use. */
  corrected(local) {
    const l = local === undefined ? readClock(this.clock) : millis(local, 'local');
    return new Date(this[HANDLE].corrected(l));
  }
  /** The server's clock read `serverTime` when this host's read `localTime` (default: now). */
  observe(serverTime, localTime) {
    const s = millis(serverTime, 'serverTime');
    const l = localTime === undefined ? readClock(this.clock) : millis(localTime, 'localTime');
    return observation(this[HANDLE].observe(s, l));
  }
  /**
   * Like `observe`, against the midpoint of the round trip. `null` when the round trip is not
   * trusted (negative or longer than 15 minutes).
   */
  observeRoundTrip(serverTime, sentAt, receivedAt) {
    return observation(
      this[HANDLE].observe_round_trip(
        millis(serverTime, 'serverTime'),
        millis(sentAt, 'sentAt'),
        millis(receivedAt, 'receivedAt'),
      ),
    );
  }
  /** Parses a `Date` header value and observes it. Throws ERR_INVALID_DATE if it does not parse. */
  observeDateHeader(value, localTime) {
    if (typeof value !== 'string') throw typeError('value', 'a string', value);
    const l = localTime === undefined ? readClock(this.clock) : millis(localTime, 'localTime');
    try {
      return observation(this[HANDLE].observe_date_header(value, l));
    } catch (e) {
      throw fromWasm(e);
    }
  }
  /** Forgets the offset. */
  reset() {
    this[HANDLE].reset();
  }
}

/**
 * Whether an AWS error is explained by clock skew: `definite`, `likely`, `possible`,
 * `unlikely` or `not-skew`.
 */
export function isSkewError(code, status, measuredOffsetMs) {
  check();
  if (typeof status !== 'number') throw typeError('status', 'a number', status);
  return w.is_skew_error(optString(code, 'code'), status, optNumber(measuredOffsetMs, 'measuredOffsetMs'));
}

/** Parses an HTTP date (IMF-fixdate, RFC 850 or asctime) into a Date. */
export function parseHttpDate(value) {
  check();
  if (typeof value !== 'string') throw typeError('value', 'a string', value);
  try {
    return new Date(w.parse_http_date_ms(value));
  } catch (e) {
    throw fromWasm(e);
  }
}

/**
 * Classifies an AWS error response `{status, headers, body}` into what to do next. With
 * `options.clockSkew`, a clock-skew error teaches it the server's clock.
 */
export function classifyError(response, options = {}) {
  check();
  feature('classifyError', typeof w.classify_error === 'function', true);
  object(response, 'response');
  object(options, 'options');
  const status = response.status;
  if (!Number.isInteger(status) || status < 0 || status > 65535) throw typeError('response.status', 'an HTTP status number', status);
  const [headers] = packHeaders(response.headers, 'response.headers');
  const body = response.body === undefined || response.body === null ? new Uint8Array(0) : bytes(response.body, 'response.body');
  const skew = options.clockSkew;
  if (skew !== undefined && !(skew instanceof ClockSkew)) throw typeError('options.clockSkew', 'a ClockSkew', skew);
  let now;
  if (options.now !== undefined) now = millis(options.now, 'options.now');
  else if (skew !== undefined) now = readClock(skew.clock);
  else now = Date.now();
  let packed;
  try {
    if (skew !== undefined) {
      packed = skew[HANDLE].classify(status, headers, body, now);
    } else {
      packed = w.classify_error(status, headers, body, now);
    }
  } catch (e) {
    throw fromWasm(e);
  }
  const p = packed.split('\0');
  return {
    action: p[0],
    actionForTemporaryCredentials: p[1],
    kind: p[2],
    status: Number(p[3]),
    code: p[4] === '' ? null : p[4],
    message: p[5] === '' ? null : p[5],
    serverTime: p[6] === '' ? null : new Date(Number(p[6])),
    skewMs: p[7] === '' ? null : Number(p[7]),
    skewVerdict: p[8],
    explanation: p[9],
    canonicalRequest: p[10] === '' ? null : p[10],
    stringToSign: p[11] === '' ? null : p[11],
    skewChange: p.length > 12 ? observation(p.slice(12, 16).join('\0')) : null,
  };
}

/** `classifyError` for a fetch `Response` (reads a clone of its body). */
export async function classifyResponse(response, options) {
  if (response === null || typeof response !== 'object' || typeof response.clone !== 'function') {
    throw typeError('response', 'a fetch Response', response);
  }
  const body = new Uint8Array(await response.clone().arrayBuffer());
  return classifyError({ status: response.status, headers: response.headers, body }, options);
}
