// Differential test: sigfresh's JS API against @smithy/signature-v4 (the AWS SDK for
// JavaScript v3 signer, with @smithy/protocol-http and @smithy/hash-node as the SDK uses on
// Node) on a generated, deterministic corpus; and against the Rust core (the oracle) on the
// same corpus, byte for byte. The known differences each have a test below that pins both
// outputs (node/KNOWN_DIFFERENCES.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Credentials, SigningError, presign, sign } from 'sigfresh';
import { corpus } from './corpus.mjs';
import { oracle } from './helpers.mjs';

const SEED = 0x5167f7e5;
const COUNT = Number(process.env.SIGFRESH_CORPUS || 1500);
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

function smithySigner(c) {
  return new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: c.token },
    region: c.region,
    service: c.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: !c.s3,
    applyChecksum: c.s3,
  });
}

function smithyRequest(c, headers = c.headers) {
  const query = {};
  for (const [k, v] of c.query) {
    if (k in query) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  const h = {};
  let hasHost = false;
  for (const [k, v] of headers) {
    h[k] = v;
    if (k.toLowerCase() === 'host') hasHost = true;
  }
  // smithy signs the headers it is given: the SDK adds `host`; so does sigfresh from the URL.
  if (!hasHost) h.host = c.hostHeader;
  return new HttpRequest({
    method: c.method,
    protocol: `${c.scheme}:`,
    hostname: c.hostname,
    port: c.port,
    path: c.path,
    query,
    headers: h,
    body: c.body,
  });
}

function sigfreshOptions(c) {
  const o = { region: c.region, service: c.service, signingDate: c.time, s3: c.s3, stages: true };
  if (c.deny.length) o.denyHeaders = c.deny;
  if (c.unsigned) o.payloadHash = 'UNSIGNED-PAYLOAD';
  if (c.presign) o.expiresIn = c.expiresIn;
  return o;
}

function oracleInput(c) {
  const o = {
    method: c.method,
    uri: c.url,
    headers: c.headers,
    region: c.region,
    service: c.service,
    time_ms: c.time,
    access_key_id: AKID,
    secret_access_key: SECRET,
    s3: c.s3,
  };
  if (c.token) o.session_token = c.token;
  if (c.deny.length) o.deny = c.deny;
  if (c.unsigned) o.payload_hash = 'UNSIGNED-PAYLOAD';
  else if (c.body instanceof Uint8Array) o.body_hex = Buffer.from(c.body).toString('hex');
  else if (c.body !== undefined) o.body = c.body;
  if (c.presign) o.expires_in = c.expiresIn;
  return o;
}

const cases = corpus(SEED, COUNT);
const rust = oracle(cases.map(oracleInput));

test(`differential: ${COUNT} generated requests, sigfresh (JS) = @smithy/signature-v4 = Rust core`, async () => {
  let headerSigned = 0;
  let presigned = 0;
  let withToken = 0;
  let s3 = 0;
  for (const [i, c] of cases.entries()) {
    const creds = { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: c.token };
    const request = { method: c.method, url: c.url, headers: c.headers, body: c.body };
    const where = `case ${c.id} (${c.presign ? 'presign' : 'sign'} ${c.method} ${c.url})`;
    assert.equal(rust[i].error, undefined, `${where}: Rust refused: ${rust[i].error}`);
    const smithy = smithySigner(c);
    let got;
    if (c.presign) {
      got = presign(request, creds, sigfreshOptions(c));
      // S3 presigned URLs sign UNSIGNED-PAYLOAD (sigfresh's S3 default, botocore and the S3
      // docs). @aws-sdk/s3-request-presigner does it by giving smithy the header and keeping it
      // out of the signed and hoisted set; do the same here.
      const toSmithy = smithyRequest(c);
      const unsignable = new Set(c.deny);
      const unhoistable = new Set();
      if (c.s3) {
        toSmithy.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        unsignable.add('x-amz-content-sha256');
        unhoistable.add('x-amz-content-sha256');
      }
      const want = await smithy.presign(toSmithy, {
        signingDate: new Date(c.time),
        expiresIn: c.expiresIn,
        unsignableHeaders: unsignable,
        unhoistableHeaders: unhoistable,
      });
      assert.equal(got.signature, want.query['X-Amz-Signature'], `${where}: signature differs from smithy\n${got.canonicalRequest}`);
      const params = new URL(got.url).searchParams;
      for (const k of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Security-Token']) {
        assert.equal(params.get(k), want.query[k] ?? null, `${where}: ${k}`);
      }
      assert.equal(got.url, rust[i].url, `${where}: URL differs from Rust`);
      presigned++;
    } else {
      got = sign(request, creds, sigfreshOptions(c));
      const want = await smithy.sign(smithyRequest(c), { signingDate: new Date(c.time), unsignableHeaders: new Set(c.deny) });
      assert.equal(got.authorization, want.headers.authorization, `${where}: Authorization differs from smithy\n${got.canonicalRequest}`);
      assert.deepEqual(Object.entries(got.headers), rust[i].headers, `${where}: headers differ from Rust`);
      headerSigned++;
    }
    assert.equal(got.canonicalRequest, rust[i].canonical_request, `${where}: canonical request differs from Rust`);
    assert.equal(got.stringToSign, rust[i].string_to_sign, `${where}: string to sign differs from Rust`);
    assert.equal(got.signature, rust[i].signature, `${where}: signature differs from Rust`);
    if (c.token) withToken++;
    if (c.s3) s3++;
  }
  // The corpus covers what it claims to.
  assert.ok(headerSigned > COUNT / 2 && presigned > COUNT / 4, `${headerSigned} signed, ${presigned} presigned`);
  assert.ok(withToken > COUNT / 3 && s3 > COUNT / 5, `${withToken} with a token, ${s3} S3`);

});

test('differential: the corpus is deterministic', () => {
  const a = corpus(SEED, 50);
  const b = corpus(SEED, 50);
  assert.deepEqual(a, b);
  assert.notDeepEqual(corpus(SEED + 1, 50), a);
});

// ---- Known differences (KNOWN_DIFFERENCES.md): each pins both outputs. ----

const T = Date.UTC(2015, 7, 30, 12, 36, 0);
const CREDS = { accessKeyId: AKID, secretAccessKey: SECRET };
const base = {
  region: 'us-east-1',
  service: 'service',
  s3: false,
  scheme: 'https',
  hostname: 'example.amazonaws.com',
  hostHeader: 'example.amazonaws.com',
  query: [],
  time: T,
};

async function both(c, extra = {}) {
  const got = sign({ method: c.method, url: `https://example.amazonaws.com${c.path}`, headers: c.headers, body: c.body }, CREDS, {
    region: 'us-east-1',
    service: 'service',
    signingDate: T,
    stages: true,
    ...extra,
  });
  const want = await smithySigner({ ...base, ...c }).sign(smithyRequest({ ...base, ...c }), { signingDate: new Date(T) });
  return { got, want };
}

const signedHeaders = (authz) => /SignedHeaders=([^,]*)/.exec(authz)[1];

test('difference S1: smithy leaves more headers unsigned by default', async () => {
  const headers = [
    ['Cache-Control', 'no-cache'],
    ['From', 'a@example.com'],
    ['Max-Forwards', '3'],
    ['Pragma', 'no-cache'],
    ['Referer', 'https://example.com/'],
    ['Sec-Fetch-Mode', 'cors'],
    ['Proxy-Foo', 'x'],
  ];
  const { got, want } = await both({ method: 'GET', path: '/', headers });
  assert.equal(signedHeaders(want.headers.authorization), 'host;x-amz-date');
  assert.equal(
    signedHeaders(got.authorization),
    'cache-control;from;host;max-forwards;pragma;proxy-foo;referer;sec-fetch-mode;x-amz-date',
  );
  // Denying them to sigfresh gives smithy's signature.
  const denied = await both({ method: 'GET', path: '/', headers }, { denyHeaders: headers.map(([n]) => n) });
  assert.equal(denied.got.authorization, denied.want.headers.authorization);
});

test('difference S2: smithy drops a `date` header before signing; sigfresh signs it', async () => {
  const headers = [['Date', 'Sun, 30 Aug 2015 12:36:00 GMT']];
  const { got, want } = await both({ method: 'GET', path: '/', headers });
  assert.equal(signedHeaders(want.headers.authorization), 'host;x-amz-date');
  assert.equal(signedHeaders(got.authorization), 'date;host;x-amz-date');
});

test('difference S3: a final dot segment keeps the slash in sigfresh (RFC 3986), not in smithy', async () => {
  const { got, want } = await both({ method: 'GET', path: '/a/b/..', headers: [] });
  assert.equal(got.canonicalRequest.split('\n')[1], '/a/');
  const smithyPath = smithySigner(base).getCanonicalPath({ path: '/a/b/..' });
  assert.equal(smithyPath, '/a');
  assert.notEqual(got.authorization, want.headers.authorization);
  const dot = await both({ method: 'GET', path: '/a/.', headers: [] });
  assert.equal(dot.got.canonicalRequest.split('\n')[1], '/a/');
  assert.equal(smithySigner(base).getCanonicalPath({ path: '/a/.' }), '/a');
});

test('difference S4: an x-amz-content-sha256 header that contradicts the payload', async () => {
  const headers = [['x-amz-content-sha256', 'UNSIGNED-PAYLOAD']];
  // smithy signs the header's value as the payload hash, whatever the body.
  const want = await smithySigner(base).sign(smithyRequest({ ...base, method: 'PUT', path: '/', headers, body: 'x' }), {
    signingDate: new Date(T),
  });
  assert.match(want.headers.authorization, /SignedHeaders=host;x-amz-content-sha256;x-amz-date,/);
  // sigfresh refuses to sign a body under a header that says otherwise (S3 would reject it).
  assert.throws(
    () => sign({ method: 'PUT', url: 'https://example.amazonaws.com/', headers, body: 'x' }, CREDS, { region: 'us-east-1', service: 'service', signingDate: T }),
    (e) => e instanceof SigningError && e.code === 'ERR_CONTENT_SHA256_MISMATCH',
  );
  // Saying so with payloadHash gives smithy's signature.
  const ok = sign({ method: 'PUT', url: 'https://example.amazonaws.com/', headers, body: 'x' }, CREDS, {
    region: 'us-east-1',
    service: 'service',
    signingDate: T,
    payloadHash: 'UNSIGNED-PAYLOAD',
  });
  assert.equal(ok.authorization, want.headers.authorization);
});

test('difference S5: presigning moves x-amz-* headers into the query in smithy, not in sigfresh', async () => {
  const headers = [['x-amz-meta-a', 'b']];
  const c = { ...base, method: 'GET', path: '/k', headers };
  const want = await smithySigner(c).presign(smithyRequest(c), { signingDate: new Date(T), expiresIn: 60 });
  assert.equal(want.query['x-amz-meta-a'], 'b');
  assert.equal(want.query['X-Amz-SignedHeaders'], 'host');
  const got = presign({ url: 'https://example.amazonaws.com/k', headers }, CREDS, { region: 'us-east-1', service: 'service', signingDate: T, expiresIn: 60 });
  assert.equal(new URL(got.url).searchParams.get('X-Amz-SignedHeaders'), 'host;x-amz-meta-a');
  assert.equal(new URL(got.url).searchParams.get('x-amz-meta-a'), null);
});

test('difference S6: smithy adds x-amz-content-sha256 to every service by default (applyChecksum)', async () => {
  const c = { ...base, method: 'GET', path: '/', headers: [] };
  const signer = new SignatureV4({ credentials: CREDS, region: 'us-east-1', service: 'service', sha256: Hash.bind(null, 'sha256') });
  const want = await signer.sign(smithyRequest(c), { signingDate: new Date(T) });
  assert.equal(signedHeaders(want.headers.authorization), 'host;x-amz-content-sha256;x-amz-date');
  const got = sign({ url: 'https://example.amazonaws.com/' }, CREDS, { region: 'us-east-1', service: 'service', signingDate: T, contentSha256: true });
  assert.equal(got.authorization, want.headers.authorization);
  const plain = sign({ url: 'https://example.amazonaws.com/' }, CREDS, { region: 'us-east-1', service: 'service', signingDate: T });
  assert.equal(signedHeaders(plain.authorization), 'host;x-amz-date');
});

test('difference S7: repeated header names (smithy keeps one value, sigfresh joins them)', async () => {
  const got = sign({ url: 'https://example.amazonaws.com/', headers: [['X-A', '1'], ['x-a', '2']] }, CREDS, {
    region: 'us-east-1',
    service: 'service',
    signingDate: T,
    stages: true,
  });
  assert.match(got.canonicalRequest, /\nx-a:1,2\n/);
  const want = await smithySigner(base).sign(smithyRequest({ ...base, method: 'GET', path: '/', headers: [['X-A', '1'], ['x-a', '2']] }), {
    signingDate: new Date(T),
  });
  // Two object keys that lower-case to one name: smithy signs only the later one.
  const one = sign({ url: 'https://example.amazonaws.com/', headers: [['x-a', '2']] }, CREDS, { region: 'us-east-1', service: 'service', signingDate: T });
  assert.equal(want.headers.authorization, one.authorization);
});

test('difference S8: an S3 path that is not canonically encoded (like aws-sigv4 A4)', async () => {
  const c = { ...base, s3: true, service: 's3', method: 'GET', path: '/a:b', headers: [] };
  const want = await smithySigner(c).sign(smithyRequest(c), { signingDate: new Date(T) });
  const got = sign({ url: 'https://example.amazonaws.com/a:b' }, CREDS, { region: 'us-east-1', service: 's3', s3: true, signingDate: T, stages: true });
  assert.equal(got.canonicalRequest.split('\n')[1], '/a%3Ab');
  const canonical = sign({ url: 'https://example.amazonaws.com/a%3Ab' }, CREDS, { region: 'us-east-1', service: 's3', s3: true, signingDate: T });
  assert.equal(canonical.authorization, got.authorization);
  assert.notEqual(want.headers.authorization, got.authorization, 'smithy signs /a:b verbatim');
});

test('difference S9: denying a header the signer always signs (x-amz-content-sha256 for S3)', async () => {
  const c = { ...base, s3: true, service: 's3', method: 'GET', path: '/k', headers: [] };
  const deny = new Set(['x-amz-content-sha256']);
  const want = await smithySigner(c).sign(smithyRequest(c), { signingDate: new Date(T), unsignableHeaders: deny });
  assert.equal(signedHeaders(want.headers.authorization), 'host;x-amz-date');
  const got = sign({ url: 'https://example.amazonaws.com/k' }, CREDS, { region: 'us-east-1', service: 's3', s3: true, signingDate: T, denyHeaders: [...deny] });
  assert.equal(signedHeaders(got.authorization), 'host;x-amz-content-sha256;x-amz-date');
});
