// A deterministic generator of signing inputs for the differential tests: the same seed gives
// the same requests on every machine. Each case describes one request three ways: for sigfresh's
// JS API, for @smithy/signature-v4 (HttpRequest + options) and for the Rust oracle.
//
// It stays inside what both signers define the same way; the differences (KNOWN_DIFFERENCES.md
// beside this folder) each have their own test in differential.test.mjs:
// - headers: no `date` (S2), no repeated names (S7), no name of smithy's larger default
//   exclusion list unless it is also denied to sigfresh (S1), no `x-amz-content-sha256` that
//   contradicts the payload (S4);
// - non-S3 paths: dot segments only inside the path, never last (S3); S3 paths canonically
//   encoded (S9);
// - presigned: no `x-amz-*` request headers (S5), empty payload.

/** mulberry32: a small, well-mixed 32-bit PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

/** smithy's escapeUri (RFC 3986 unreserved kept; UTF-8 percent-encoded, uppercase hex). */
export const escapeUri = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
const SUBDELIMS = "!$&'()*+,;=:@";
const UNICODE = ['é', 'ü', 'ß', '中', '文', '€', '😀', 'ñ'];

function word(r, min, max, alphabet) {
  const n = min + r.int(max - min + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[r.int(alphabet.length)];
  return s;
}

/** Raw (decoded) text for a path segment or query part: mostly ASCII, some reserved and UTF-8. */
function rawText(r, min, max) {
  const n = min + r.int(max - min + 1);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r.next();
    if (k < 0.75) s += UNRESERVED[r.int(UNRESERVED.length)];
    else if (k < 0.88) s += SUBDELIMS[r.int(SUBDELIMS.length)];
    else if (k < 0.93) s += ' ';
    else if (k < 0.96) s += '%';
    else s += r.pick(UNICODE);
  }
  return s;
}

// Names in smithy's default exclusion list that sigfresh signs by default (S1).
export const SMITHY_ONLY_EXCLUDED = ['cache-control', 'from', 'max-forwards', 'pragma', 'referer'];
const SIGFRESH_EXCLUDED = [
  'authorization',
  'user-agent',
  'x-amzn-trace-id',
  'expect',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
];
const COMMON_HEADERS = ['content-type', 'accept', 'x-amz-meta-color', 'x-amz-target', 'range', 'if-match', 'content-md5', 'x-custom'];

function headerValue(r) {
  const k = r.next();
  if (k < 0.15) return '';
  if (k < 0.3) return `  ${word(r, 1, 8, UNRESERVED)}   ${word(r, 1, 8, UNRESERVED)} `;
  if (k < 0.4) return `${word(r, 1, 6, UNRESERVED)}\t\t${word(r, 1, 6, UNRESERVED)}`;
  if (k < 0.5) return `"${word(r, 1, 5, UNRESERVED)}  ${word(r, 1, 5, UNRESERVED)}"`;
  return word(r, 1, 40, `${UNRESERVED} ;,=/:()`);
}

function headerName(r, used) {
  for (;;) {
    const k = r.next();
    let n;
    if (k < 0.4) n = r.pick(COMMON_HEADERS);
    else if (k < 0.5) n = r.pick(SMITHY_ONLY_EXCLUDED);
    else if (k < 0.55) n = r.pick(SIGFRESH_EXCLUDED);
    else if (k < 0.6) n = `sec-${word(r, 1, 6, 'abcdefghij')}`;
    else n = `x-${word(r, 1, 12, 'abcdefghijklmnopqrstuvwxyz0123456789-')}`;
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
}

/** Changes the case of some letters: names are case-insensitive. */
function mixCase(r, s) {
  return [...s].map((c) => (r.chance(0.3) ? c.toUpperCase() : c)).join('');
}

function path(r, s3) {
  const segments = [];
  const n = r.int(5);
  for (let i = 0; i < n; i++) {
    const k = r.next();
    if (k < 0.08) segments.push('');
    else if (!s3 && k < 0.13 && i < n - 1) segments.push(r.pick(['.', '..']));
    else if (s3 && k < 0.13) segments.push(r.pick(['.', '..']));
    else segments.push(rawText(r, 1, 12));
  }
  // As sent: S3 paths canonically encoded; other paths encoded or raw where a URL allows it.
  const encodeSeg = (seg) =>
    s3 || r.chance(0.6) ? escapeUri(seg) : [...seg].map((c) => (c === '?' || c === '#' || c === '%' ? escapeUri(c) : c)).join('');
  const trailing = n > 0 && r.chance(0.2) ? '/' : '';
  return `/${segments.map(encodeSeg).join('/')}${trailing}`;
}

function query(r) {
  const pairs = [];
  const n = r.int(6);
  for (let i = 0; i < n; i++) {
    const key = r.chance(0.2) && pairs.length ? pairs[r.int(pairs.length)][0] : r.chance(0.05) ? '' : rawText(r, 1, 10);
    const value = r.chance(0.15) ? '' : rawText(r, 0, 14);
    if (key === '' && value === '') continue;
    pairs.push([key, value]);
  }
  return pairs;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-gov-west-1', 'cn-north-1'];
const SERVICES = ['execute-api', 'dynamodb', 'sqs', 'lambda', 'es', 'iam', 'sts'];
const HOSTS = ['example.amazonaws.com', 'bucket.s3.amazonaws.com', 'api.example.com', 'localhost', '127.0.0.1'];
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+value//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==';

/** `count` cases from `seed`. */
export function corpus(seed, count) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const s3 = r.chance(0.3);
    const presign = r.chance(0.35);
    const scheme = r.chance(0.85) ? 'https' : 'http';
    const hostname = r.pick(HOSTS);
    const port = r.chance(0.2) ? r.pick([8443, 8080, scheme === 'https' ? 443 : 80]) : undefined;
    const defaultPort = scheme === 'https' ? 443 : 80;
    const hostHeader = port !== undefined && port !== defaultPort ? `${hostname}:${port}` : hostname;
    const method = presign ? r.pick(['GET', 'GET', 'PUT', 'DELETE']) : r.pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']);
    const p = path(r, s3);
    const q = query(r);
    const qs = q.map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join('&');
    const url = `${scheme}://${hostname}${port !== undefined ? `:${port}` : ''}${p}${qs ? `?${qs}` : ''}`;
    const used = new Set(['host', 'date', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'authorization']);
    const headers = [];
    const nh = r.int(6);
    for (let j = 0; j < nh; j++) {
      const name = headerName(r, used);
      if (presign && name.startsWith('x-amz-')) continue;
      headers.push([mixCase(r, name), headerValue(r)]);
    }
    const explicitHost = r.chance(0.3);
    if (explicitHost) headers.splice(r.int(headers.length + 1), 0, [r.chance(0.5) ? 'Host' : 'host', hostHeader]);
    let body;
    if (!presign && (method === 'POST' || method === 'PUT' || method === 'PATCH') && r.chance(0.8)) {
      body = r.chance(0.7) ? rawText(r, 0, 300) : Uint8Array.from({ length: r.int(200) }, () => r.int(256));
    }
    const unsigned = s3 && !presign && r.chance(0.3);
    if (unsigned) headers.push(['x-amz-content-sha256', 'UNSIGNED-PAYLOAD']);
    const token = r.chance(0.5) ? TOKEN : undefined;
    // Deny smithy's extra default exclusions (and a random request header) to sigfresh.
    const deny = headers.map(([n]) => n.toLowerCase()).filter((n) => SMITHY_ONLY_EXCLUDED.includes(n) || n.startsWith('sec-'));
    const extraDeny = headers.length && r.chance(0.15) ? headers[r.int(headers.length)][0].toLowerCase() : undefined;
    // (Never a header the signer always signs: sigfresh keeps signing those, smithy drops them.)
    if (extraDeny !== undefined && !['host', 'x-amz-content-sha256'].includes(extraDeny) && !deny.includes(extraDeny)) {
      deny.push(extraDeny);
    }
    out.push({
      id: i,
      s3,
      presign,
      method,
      url,
      scheme,
      hostname,
      port,
      hostHeader,
      path: p,
      query: q,
      headers,
      body,
      unsigned,
      token,
      deny,
      extraDeny,
      region: r.pick(REGIONS),
      service: s3 ? 's3' : r.pick(SERVICES),
      time: Date.UTC(2015 + r.int(15), r.int(12), 1 + r.int(28), r.int(24), r.int(60), r.int(60)),
      expiresIn: presign ? 1 + r.int(604800) : undefined,
    });
  }
  return out;
}
