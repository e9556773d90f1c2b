// sign / presign / signRequest / verify: convert the request, call the core once, convert back.
import { handleOf } from './credentials.js';
import {
  eachHeader,
  millis,
  object,
  optBool,
  optNumber,
  reqString,
  urlText,
} from './convert.js';
import { argError, fromWasm, typeError } from './errors.js';
import { check, feature, w } from './wasm.js';

const BODY_TEXT = 0;
const BODY_BYTES = 1;
const HASH_TEXT = 2;
const EMPTY = new Uint8Array(0);

function names(list, name) {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw typeError(name, 'an array of header names', list);
  for (const n of list) {
    if (typeof n !== 'string') throw typeError(`each entry of ${name}`, 'a string', n);
    if (n.includes('\0')) throw argError('ERR_INVALID_HEADER_SELECTION', `${name} has a name with a NUL character`);
  }
  return list.join('\0');
}

function enumOption(v, name, values) {
  if (v === undefined) return undefined;
  const i = values.indexOf(v);
  if (i < 0) throw argError('ERR_INVALID_ARG_VALUE', `${name} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
  return i === 1;
}

const signers = new WeakMap();
const byKey = new Map();

/** The wasm Signer for these options (cached: a Signer is built once per distinct setting). */
function signerFor(o, expiresIn) {
  const e = signers.get(o);
  if (
    e !== undefined &&
    e.region === o.region &&
    e.service === o.service &&
    e.s3 === o.s3 &&
    e.uriEncoding === o.uriEncoding &&
    e.normalizePath === o.normalizePath &&
    e.sessionToken === o.sessionToken &&
    e.contentSha256 === o.contentSha256 &&
    e.allowHeaders === o.allowHeaders &&
    e.denyHeaders === o.denyHeaders &&
    e.expiresIn === expiresIn
  ) {
    return e.signer;
  }
  const region = reqString(o.region, 'options.region');
  const service = reqString(o.service, 'options.service');
  const s3 = optBool(o.s3, 'options.s3') ?? false;
  const single = enumOption(o.uriEncoding, 'options.uriEncoding', ['double', 'single']);
  const normalize = optBool(o.normalizePath, 'options.normalizePath');
  const after = enumOption(o.sessionToken, 'options.sessionToken', ['signed', 'append-after-signing']);
  const sha = optBool(o.contentSha256, 'options.contentSha256');
  const allow = names(o.allowHeaders, 'options.allowHeaders');
  const deny = names(o.denyHeaders, 'options.denyHeaders');
  if (expiresIn !== undefined && typeof expiresIn !== 'number') throw typeError('options.expiresIn', 'a number of seconds', expiresIn);
  const key = [region, service, s3, single, normalize, after, sha, allow, deny, expiresIn].join('\u0001');
  let signer = byKey.get(key);
  if (signer === undefined) {
    try {
      signer = new w.Signer(region, service, s3, single, normalize, after, sha, allow, deny, expiresIn);
    } catch (err) {
      throw fromWasm(err);
    }
    if (byKey.size >= 256) byKey.clear();
    byKey.set(key, signer);
  }
  signers.set(o, {
    region: o.region,
    service: o.service,
    s3: o.s3,
    uriEncoding: o.uriEncoding,
    normalizePath: o.normalizePath,
    sessionToken: o.sessionToken,
    contentSha256: o.contentSha256,
    allowHeaders: o.allowHeaders,
    denyHeaders: o.denyHeaders,
    expiresIn,
    signer,
  });
  return signer;
}

/** The signing time: `signingDate`, else the clock-skew–corrected clock, else `Date.now()`. */
function signingTime(o) {
  if (o.signingDate !== undefined) return millis(o.signingDate, 'options.signingDate');
  if (o.clockSkew !== undefined) {
    if (o.clockSkew === null || typeof o.clockSkew.now !== 'function') throw typeError('options.clockSkew', 'a ClockSkew', o.clockSkew);
    return o.clockSkew.now();
  }
  return Date.now();
}

function isStream(b) {
  return (
    typeof b.getReader === 'function' ||
    typeof b.pipe === 'function' ||
    (typeof Blob !== 'undefined' && b instanceof Blob) ||
    typeof b[Symbol.asyncIterator] === 'function'
  );
}

/** [kind, text, bytes] for the wasm shell. */
function payloadOf(request, o) {
  const hash = o.payloadHash;
  if (hash !== undefined) {
    if (typeof hash !== 'string') throw typeError('options.payloadHash', 'a string', hash);
    return [HASH_TEXT, hash, EMPTY];
  }
  const body = request.body;
  if (body === undefined || body === null) return [BODY_TEXT, '', EMPTY];
  if (typeof body === 'string') return [BODY_TEXT, body, EMPTY];
  if (body instanceof Uint8Array) return [BODY_BYTES, '', body];
  if (ArrayBuffer.isView(body)) return [BODY_BYTES, '', new Uint8Array(body.buffer, body.byteOffset, body.byteLength)];
  if (body instanceof ArrayBuffer) return [BODY_BYTES, '', new Uint8Array(body)];
  if (typeof body === 'object' && isStream(body)) {
    throw argError(
      'ERR_BODY_NOT_READABLE',
      'request.body is a stream or Blob, which cannot be hashed synchronously: use `await signRequest(request, ...)`, pass the body as a string or bytes, or give options.payloadHash (e.g. "UNSIGNED-PAYLOAD")',
    );
  }
  throw typeError('request.body', 'a string, Uint8Array, ArrayBuffer or ArrayBufferView', body);
}

function run(request, credentials, options, expiresIn) {
  check();
  object(request, 'request');
  object(options, 'options');
  const signer = signerFor(options, expiresIn);
  const creds = handleOf(credentials);
  const time = signingTime(options);
  const method = request.method === undefined ? 'GET' : reqString(request.method, 'request.method');
  let head = method + '\0' + urlText(request.url, 'request.url');
  let n = 0;
  eachHeader(
    request.headers,
    (k, v) => {
      head += '\0' + k + '\0' + v;
      n++;
    },
    'request.headers',
  );
  const [kind, text, body] = payloadOf(request, options);
  const stages = options.stages === true;
  try {
    return kind === BODY_BYTES
      ? signer.sign_bytes(creds, time, head, n, body, stages)
      : signer.sign(creds, time, head, n, kind, text, stages);
  } catch (e) {
    throw fromWasm(e);
  }
}

/**
 * Signs a request in headers. Returns the headers to set (lowercase names), the signature and
 * the `Authorization` value; with `options.stages`, also the canonical request and string to
 * sign.
 */
export function sign(request, credentials, options) {
  const parts = run(request, credentials, options, undefined).split('\0');
  const headers = {};
  for (let i = 3; i + 1 < parts.length; i += 2) headers[parts[i]] = parts[i + 1];
  const out = { headers, signature: parts[0], authorization: headers.authorization };
  if (options.stages === true) {
    out.canonicalRequest = parts[1];
    out.stringToSign = parts[2];
  }
  return out;
}

/**
 * Presigns a request: returns the URL with the `X-Amz-*` query parameters (default 900 s) and
 * its lifetime: AWS checks the session token on every use, so a URL signed with temporary
 * credentials stops working when they expire (`lifetime.endsAt`), whatever `expiresIn` says.
 */
export function presign(request, credentials, options) {
  object(options, 'options');
  const expiresIn = options.expiresIn === undefined ? 900 : options.expiresIn;
  const parts = run(request, credentials, options, expiresIn).split('\0');
  const out = {
    url: parts[3],
    signature: parts[0],
    lifetime: {
      urlExpiresAt: new Date(Number(parts[4])),
      endsAt: new Date(Number(parts[5])),
      cutShort: parts[6] === '1',
      expiryUnknown: parts[7] === '1',
    },
  };
  if (options.stages === true) {
    out.canonicalRequest = parts[1];
    out.stringToSign = parts[2];
  }
  return out;
}

/**
 * Signs a fetch `Request` (reading its body) and returns a new `Request` with the signature
 * headers set, or with the presigned URL when `options.presign` is set.
 */
export async function signRequest(request, credentials, options) {
  if (typeof Request === 'undefined' || !(request instanceof Request)) {
    throw typeError('request', 'a fetch Request', request);
  }
  object(options, 'options');
  let body;
  if (options.payloadHash === undefined && request.body !== null) {
    body = new Uint8Array(await request.clone().arrayBuffer());
  }
  const plain = { method: request.method, url: request.url, headers: request.headers, body };
  if (options.presign === true) {
    const p = presign(plain, credentials, options);
    return new Request(p.url, request);
  }
  const s = sign(plain, credentials, options);
  const headers = new Headers(request.headers);
  for (const k of Object.keys(s.headers)) headers.set(k, s.headers[k]);
  return new Request(request, body === undefined ? { headers } : { headers, body });
}

/**
 * Verifies a signed request (header-signed or presigned) with the core's verifier.
 * `credentials` is the Credentials (or plain object) that should have signed, or a function
 * `(accessKeyId) => credentials | undefined`.
 */
export function verify(request, credentials, options = {}) {
  check();
  feature('verify', typeof w.verify === 'function', true);
  object(request, 'request');
  object(options, 'options');
  let lookup;
  if (typeof credentials === 'function') lookup = credentials;
  else {
    const h = handleOf(credentials);
    lookup = (akid) => (akid === h.access_key_id ? h : undefined);
  }
  const now = options.now === undefined ? Date.now() : millis(options.now, 'options.now');
  const method = request.method === undefined ? 'GET' : reqString(request.method, 'request.method');
  let head = method + '\0' + urlText(request.url, 'request.url');
  let n = 0;
  eachHeader(
    request.headers,
    (k, v) => {
      head += '\0' + k + '\0' + v;
      n++;
    },
    'request.headers',
  );
  const [kind, text, body] = payloadOf(request, options);
  let thrown;
  const call = (akid) => {
    try {
      const c = lookup(akid);
      if (c === undefined || c === null) return undefined;
      return (c instanceof w.Credentials ? c : handleOf(c, 'the credentials lookup result')).share();
    } catch (e) {
      thrown = e;
      return undefined;
    }
  };
  let packed;
  try {
    packed = w.verify(
      head,
      n,
      kind,
      text,
      body,
      call,
      now,
      optBool(options.s3, 'options.s3') ?? false,
      enumOption(options.uriEncoding, 'options.uriEncoding', ['double', 'single']),
      optBool(options.normalizePath, 'options.normalizePath'),
      optNumber(options.maxSkewSeconds, 'options.maxSkewSeconds'),
      enumOption(options.sessionToken, 'options.sessionToken', ['signed', 'append-after-signing']),
    );
  } catch (e) {
    throw thrown !== undefined ? thrown : fromWasm(e);
  }
  if (thrown !== undefined) throw thrown;
  const [akid, region, service, signedAt, expiresAt, ...signedHeaders] = packed.split('\0');
  return {
    accessKeyId: akid,
    region,
    service,
    signedAt: new Date(Number(signedAt)),
    expiresAt: expiresAt === '' ? null : new Date(Number(expiresAt)),
    signedHeaders,
  };
}
