// The official AWS SigV4 suite (tests/vectors/sigv4-suite) through the JS API: every case, each
// stage (canonical request, string to sign, Authorization) against the suite's files, with the
// same handling of the suite's known quirks as core/tests/sigv4_suite.rs, and byte-identical to
// the Rust core (wasm/examples/oracle.rs) for the same input.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Credentials, sign } from 'sigfresh';
import { SUITE, amzDateMs, oracle, parseRequest, readCase } from './helpers.mjs';

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

const OBS_FOLD = 'the .req obs-folds the value: one space per fold (RFC 9112 §5.2), the legacy case expects commas';

/** Per-case handling, mirroring core/tests/sigv4_suite.rs (each with its reason). */
const CASES = {
  'get-header-key-duplicate': {},
  'get-header-value-multiline': {
    fixCreq: ['my-header1:value1,value2,value3', 'my-header1:value1 value2 value3', OBS_FOLD],
    skipStsAuthz: OBS_FOLD,
  },
  'get-header-value-order': {},
  'get-header-value-trim': {},
  'get-unreserved': {},
  'get-utf8': {},
  'get-vanilla': {},
  'get-vanilla-empty-query-key': {},
  'get-vanilla-query': {},
  'get-vanilla-query-order-key': {},
  'get-vanilla-query-order-key-case': {},
  'get-vanilla-query-order-value': {},
  'get-vanilla-query-unreserved': {},
  'get-vanilla-utf8-query': {},
  'normalize-path/get-relative': {},
  'normalize-path/get-relative-relative': {},
  'normalize-path/get-slash': {},
  'normalize-path/get-slash-dot-slash': {},
  'normalize-path/get-slash-pointless-dot': {},
  'normalize-path/get-slashes': {},
  'normalize-path/get-space': {},
  'post-header-key-case': {},
  'post-header-key-sort': {},
  'post-header-value-case': {},
  'post-sts-token/post-sts-header-after': { token: true, tokenAfter: true },
  'post-sts-token/post-sts-header-before': { token: true },
  'post-vanilla': {},
  'post-vanilla-empty-query-value': {},
  'post-vanilla-query': {},
  'post-x-www-form-urlencoded': {
    fixCreq: ['\nhost;x-amz-date\n', '\ncontent-type;host;x-amz-date\n', 'its signed-header line omits content-type'],
  },
  'post-x-www-form-urlencoded-parameters': {
    bodyAsQuery: 'the expected .creq signs the form body as the query with an empty payload',
  },
  'double-url-encode': {},
  'double-encode-path': { time: '20210511T154045Z' },
};

/** The JS request, the options, and the same input for the Rust oracle. */
function inputs(rel, c, headersOverride) {
  const req = parseRequest(readCase(rel, 'req'));
  let time;
  let region = 'us-east-1';
  let service = 'service';
  const sts = readCase(rel, 'sts');
  if (sts) {
    const lines = sts.toString('utf8').split('\n');
    time = amzDateMs(lines[1]);
    [, region, service] = lines[2].split('/');
  } else {
    time = amzDateMs(c.time);
  }
  const target = c.bodyAsQuery ? `${req.target}?${req.body.toString('utf8')}` : req.target;
  const headers = headersOverride ?? req.headers;
  const creds = { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: c.token ? TOKEN : undefined };
  const options = { region, service, signingDate: time, stages: true };
  if (c.tokenAfter) options.sessionToken = 'append-after-signing';
  const rust = {
    method: req.method,
    uri: target,
    headers,
    body: '',
    region,
    service,
    time_ms: time,
    access_key_id: AKID,
    secret_access_key: SECRET,
    ...(c.token ? { session_token: TOKEN } : {}),
    ...(c.tokenAfter ? { token_after: true } : {}),
  };
  // The suite's payload is the empty string for every case (its README), whatever the body.
  return { request: { method: req.method, url: target, headers }, creds, options, rust };
}

const rel = Object.keys(CASES);
const rust = oracle(rel.map((r) => inputs(r, CASES[r]).rust));

for (const [i, r] of rel.entries()) {
  const c = CASES[r];
  test(`suite: ${r}`, () => {
    const { request, creds, options } = inputs(r, c);
    const got = sign(request, new Credentials(creds), options);
    // Byte-identical to the Rust core for the same input, every stage and header.
    assert.equal(got.canonicalRequest, rust[i].canonical_request, `${r}: canonical request differs from Rust`);
    assert.equal(got.stringToSign, rust[i].string_to_sign, `${r}: string to sign differs from Rust`);
    assert.equal(got.signature, rust[i].signature, `${r}: signature differs from Rust`);
    assert.deepEqual(Object.entries(got.headers), rust[i].headers, `${r}: headers differ from Rust`);
    // Against the suite's files.
    let creq = readCase(r, 'creq').toString('utf8');
    if (c.fixCreq) {
      const [wrong, right] = c.fixCreq;
      assert.ok(creq.includes(wrong), `${r}: the known error in the .creq is no longer there`);
      creq = creq.replace(wrong, right);
    }
    assert.equal(got.canonicalRequest, creq, `${r}: stage 1, canonical request`);
    if (!c.skipStsAuthz) {
      const sts = readCase(r, 'sts');
      if (sts) assert.equal(got.stringToSign, sts.toString('utf8').replace(/\n+$/, ''), `${r}: stage 2, string to sign`);
      const authz = readCase(r, 'authz');
      if (authz) assert.equal(got.authorization, authz.toString('utf8'), `${r}: stage 3, Authorization`);
    }
    if (c.tokenAfter) {
      assert.equal(got.headers['x-amz-security-token'], TOKEN, `${r}: token added after signing`);
      assert.ok(!got.canonicalRequest.includes('x-amz-security-token'), `${r}: token not signed`);
    }
  });
}

test('suite: get-header-value-multiline as repeated headers matches every stage', () => {
  const headers = [
    ['Host', 'example.amazonaws.com'],
    ['My-Header1', 'value1'],
    ['My-Header1', 'value2'],
    ['My-Header1', 'value3'],
    ['X-Amz-Date', '20150830T123600Z'],
  ];
  const { request, creds, options, rust: input } = inputs('get-header-value-multiline', {}, headers);
  const got = sign(request, creds, options);
  const r = 'get-header-value-multiline';
  assert.equal(got.canonicalRequest, readCase(r, 'creq').toString('utf8'));
  assert.equal(got.stringToSign, readCase(r, 'sts').toString('utf8'));
  assert.equal(got.authorization, readCase(r, 'authz').toString('utf8'));
  assert.equal(got.signature, oracle([input])[0].signature);
});

test('suite: every case with a .req has a test (33)', () => {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.req')) found.push(dir.slice(SUITE.length + 1));
    }
  };
  walk(SUITE);
  found.sort();
  assert.deepEqual(found, [...rel].sort());
  assert.equal(found.length, 33);
});
