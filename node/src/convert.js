// Conversions of JavaScript values to what the wasm shell takes: type checks, header lists,
// bodies and times. No signing rule lives here: everything else is the core's.
import { argError, typeError } from './errors.js';

/** Epoch milliseconds from a Date or a number; `name` is used in the error. */
export function millis(v, name) {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    throw argError('ERR_INVALID_DATE', `${name} must be a finite number of epoch milliseconds`);
  }
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isFinite(t)) return t;
    throw argError('ERR_INVALID_DATE', `${name} is an invalid Date`);
  }
  throw typeError(name, 'a Date or a number of epoch milliseconds', v);
}

export function optMillis(v, name) {
  return v === undefined ? undefined : millis(v, name);
}

export function optString(v, name) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw typeError(name, 'a string', v);
  return v;
}

export function reqString(v, name) {
  if (typeof v !== 'string') {
    if (v === undefined) throw argError('ERR_MISSING_ARG', `${name} is required`);
    throw typeError(name, 'a string', v);
  }
  return v;
}

export function optBool(v, name) {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw typeError(name, 'a boolean', v);
  return v;
}

export function optNumber(v, name) {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || Number.isNaN(v)) throw typeError(name, 'a number', v);
  return v;
}

export function optFunction(v, name) {
  if (v === undefined) return undefined;
  if (typeof v !== 'function') throw typeError(name, 'a function', v);
  return v;
}

export function object(v, name) {
  if (v === null || typeof v !== 'object') {
    if (v === undefined) throw argError('ERR_MISSING_ARG', `${name} is required`);
    throw typeError(name, 'an object', v);
  }
  return v;
}

function headerValue(v, name) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw typeError(`header ${JSON.stringify(name)}`, 'a string or number', v);
}

/**
 * Calls `fn(name, value)` for every header of a `Headers`, a `Map`, an array of `[name, value]`
 * pairs, or a plain object (an array value gives one header per element).
 */
export function eachHeader(h, fn, what) {
  if (h === undefined || h === null) return;
  if (typeof h !== 'object') throw typeError(what, 'a Headers, Map, array of pairs or object', h);
  if (Array.isArray(h)) {
    for (const pair of h) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
        throw typeError(`each entry of ${what}`, 'a [name, value] pair', pair);
      }
      fn(pair[0], headerValue(pair[1], pair[0]));
    }
  } else if (h instanceof Map) {
    for (const [k, v] of h) {
      if (typeof k !== 'string') throw typeError(`a header name in ${what}`, 'a string', k);
      fn(k, headerValue(v, k));
    }
  } else if (typeof h.forEach === 'function' && typeof h.get === 'function') {
    // Fetch `Headers`: values of repeated names are already joined with ", ".
    h.forEach((v, k) => fn(k, v));
  } else {
    for (const k of Object.keys(h)) {
      const v = h[k];
      if (Array.isArray(v)) for (const x of v) fn(k, headerValue(x, k));
      else if (v !== undefined) fn(k, headerValue(v, k));
    }
  }
}

/** `name\0value\0...` for the wasm shell; `[packed, count]`. */
export function packHeaders(h, what) {
  let s = '';
  let n = 0;
  eachHeader(
    h,
    (k, v) => {
      s += n === 0 ? `${k}\0${v}` : `\0${k}\0${v}`;
      n++;
    },
    what,
  );
  return [s, n];
}

/** The request URL as text (a string, or a WHATWG `URL`). */
export function urlText(u, name) {
  if (typeof u === 'string') return u;
  if (typeof URL !== 'undefined' && u instanceof URL) return u.href;
  if (u === undefined) throw argError('ERR_MISSING_ARG', `${name} is required`);
  throw typeError(name, 'a string or URL', u);
}

/** Splits a NUL-packed `name\0value` list into an object (later names win). */
export function unpackObject(s) {
  const out = {};
  if (!s) return out;
  const parts = s.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]] = parts[i + 1];
  return out;
}

/** Splits a NUL-packed `name\0value` list into pairs. */
export function unpackPairs(s) {
  const out = [];
  if (!s) return out;
  const parts = s.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) out.push([parts[i], parts[i + 1]]);
  return out;
}

/** Bytes from a string (UTF-8), Uint8Array, other ArrayBufferView or ArrayBuffer. */
export function bytes(v, name) {
  if (typeof v === 'string') return new TextEncoder().encode(v);
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  throw typeError(name, 'a string, Uint8Array, ArrayBuffer or ArrayBufferView', v);
}

/** An environment (e.g. `process.env`) packed as `name\0value\0...`; non-strings are skipped. */
export function packEnv(env, name) {
  if (env === undefined || env === null) return '';
  object(env, name);
  let s = '';
  for (const k of Object.keys(env)) {
    const v = env[k];
    if (typeof v !== 'string' || k.includes('\0') || v.includes('\0')) continue;
    s += s === '' ? `${k}\0${v}` : `\0${k}\0${v}`;
  }
  return s;
}
