// The conformance corpus (tests/vectors/, format in its README.md) through the built npm package.
// Same files, same expectations as core/tests/conformance.rs and the CLI runner. Cases the JS API
// cannot express are counted as "not applicable for this host" and listed, never skipped silently.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClockSkew, CredentialCache, Credentials, classifyError, presign, sign } from 'sigfresh';
import { ROOT, amzDateMs, parseRequest } from './helpers.mjs';

const VECTORS = join(ROOT, 'tests/vectors');

function cases(kind) {
  return readdirSync(join(VECTORS, kind))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(VECTORS, kind, f), 'utf8'))]);
}

const timeMs = (t) => (/^\d{8}T\d{6}Z$/.test(t) ? amzDateMs(t) : Date.parse(t));
const kebabToSnake = (s) => s.replaceAll('-', '_');
const sortedPairs = (o) => Object.entries(o).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

// The corpus's error kinds are the C ABI's names (SIGFRESH_SIGN_*, SIGFRESH_DOCUMENT_*) lowercased;
// the package's codes are ERR_*.
function errorKind(code) {
  const c = code.replace(/^ERR_/, '').toLowerCase();
  if (c.startsWith('document_')) return c;
  if (c.startsWith('profile_')) return c === 'profile_syntax' ? 'document_ini_syntax' : `document_${c}`;
  return `sign_${c}`;
}

const counts = {};
function tally(kind, outcome, name) {
  counts[kind] ??= { passed: 0, na: [] };
  if (outcome === 'na') counts[kind].na.push(name);
  else counts[kind].passed += 1;
}

function signOptions(c) {
  const s = c.settings;
  const o = { region: c.region, service: c.service, signingDate: timeMs(c.time), stages: true };
  if (s.uri_encoding) o.uriEncoding = s.uri_encoding;
  if (s.path_normalization === false) o.normalizePath = false;
  if (s.session_token) o.sessionToken = s.session_token;
  if (s.content_sha256) o.contentSha256 = true;
  if (s.headers?.allow) o.allowHeaders = s.headers.allow;
  if (s.headers?.deny) o.denyHeaders = s.headers.deny;
  const p = c.request.payload;
  const markers = {
    unsigned: 'UNSIGNED-PAYLOAD',
    'streaming-signed': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    'streaming-signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'streaming-unsigned-trailer': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  };
  if (p && typeof p === 'object') o.payloadHash = p.precomputed;
  else if (p && p !== 'bytes') o.payloadHash = markers[p];
  if (s.presign_expires !== undefined) o.expiresIn = s.presign_expires;
  return o;
}

const manifest = JSON.parse(readFileSync(join(VECTORS, 'sigv4-suite.json'), 'utf8'));
const D = manifest.defaults;

function suiteCases(dir = join(VECTORS, 'sigv4-suite'), rel = '') {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...suiteCases(p, rel ? `${rel}/${e}` : e));
    else if (e.endsWith('.req')) out.push(rel);
  }
  return out;
}

for (const rel of suiteCases().sort()) {
  test(`conformance sigv4-suite: ${rel}`, () => {
    const opts = manifest.cases[rel];
    assert.ok(opts, `${rel} is not listed in tests/vectors/sigv4-suite.json`);
    const name = rel.split('/').pop();
    const read = (ext) => {
      try {
        return readFileSync(join(VECTORS, 'sigv4-suite', rel, `${name}.${ext}`), 'utf8');
      } catch {
        return undefined;
      }
    };
    const req = parseRequest(readFileSync(join(VECTORS, 'sigv4-suite', rel, `${name}.req`)));
    const sts = read('sts');
    let region = D.region;
    let service = D.service;
    let time = opts.time;
    if (sts) {
      const l = sts.split('\n');
      [, region, service] = l[2].split('/');
      time = l[1];
    }
    const creds = { accessKeyId: D.access_key_id, secretAccessKey: D.secret_access_key };
    const options = { region, service, signingDate: amzDateMs(time), stages: true, payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
    if (opts.session_token) {
      creds.sessionToken = D.session_token;
      options.sessionToken = opts.session_token;
    }
    const url = opts.body_as_query ? `${req.target}?${req.body.toString('utf8')}` : req.target;
    const got = sign({ method: req.method, url, headers: req.headers }, new Credentials(creds), options);
    let creq = read('creq');
    if (opts.fix_creq) {
      assert.ok(creq.includes(opts.fix_creq[0]), 'the known .creq error is no longer there');
      creq = creq.replace(opts.fix_creq[0], opts.fix_creq[1]);
    }
    assert.equal(got.canonicalRequest, creq, 'canonical request');
    if (!opts.skip_sts_authz) {
      if (sts) assert.equal(got.stringToSign, sts.replace(/\n+$/, ''), 'string to sign');
      const authz = read('authz');
      if (authz) assert.equal(got.authorization, authz, 'authorization');
    }
    tally('sigv4-suite', 'pass');
  });
}

for (const [name, c] of cases('signing')) {
  test(`conformance signing: ${name}`, () => {
    const req = { method: c.request.method, url: c.request.uri, headers: c.request.headers };
    if (c.request.body !== undefined) req.body = c.request.body;
    const creds = new Credentials({
      accessKeyId: c.credentials.access_key_id,
      secretAccessKey: c.credentials.secret_access_key,
      sessionToken: c.credentials.session_token,
    });
    const options = signOptions(c);
    const presigned = c.settings.presign_expires !== undefined;
    const run = () => (presigned ? presign(req, creds, options) : sign(req, creds, options));
    if (c.expect.error) {
      assert.throws(run, (e) => {
        assert.equal(errorKind(e.code), c.expect.error, `error kind (code ${e.code}: ${e.message})`);
        if (c.expect.mentions) assert.ok(e.message.includes(c.expect.mentions), `${e.message} names ${c.expect.mentions}`);
        return true;
      });
      tally('signing', 'pass');
      return;
    }
    const got = run();
    for (const [field, want] of Object.entries(c.expect)) {
      if (field === 'canonical_request') assert.equal(got.canonicalRequest, want, field);
      else if (field === 'string_to_sign') assert.equal(got.stringToSign, want, field);
      else if (field === 'signature') assert.equal(got.signature, want, field);
      else if (field === 'authorization') assert.equal(got.authorization, want, field);
      else if (field === 'headers') assert.deepEqual(sortedPairs(got.headers), want, field);
      else if (field === 'query_params') {
        const u = new URL(got.url);
        const added = new Set(want.map((p) => p[0]));
        const raw = u.search.slice(1).split('&').map((kv) => kv.split('=')).filter(([k]) => added.has(k));
        assert.deepEqual(raw.sort((a, b) => (a[0] < b[0] ? -1 : 1)), want, field);
      } else assert.fail(`unknown expectation ${field}`);
    }
    tally('signing', 'pass');
  });
}

const SOURCES = {
  'instance-metadata': 'instance_metadata',
  'container-endpoint': 'container_endpoint',
  container: 'container_endpoint',
};

function checkCredentials(got, want) {
  for (const [f, w] of Object.entries(want)) {
    if (f === 'access_key_id') assert.equal(got.accessKeyId, w, f);
    else if (f === 'secret_access_key') assert.equal(got.secretAccessKey, w, f);
    else if (f === 'session_token') {
      if (typeof w === 'boolean') assert.equal(got.sessionToken !== undefined, w, 'session token present');
      else assert.equal(got.sessionToken, w, f);
    } else if (f === 'expiry_ms') assert.equal(got.expiration ? got.expiration.getTime() : null, w, f);
    else if (f === 'account_id') assert.equal(got.accountId ?? null, w, f);
    else if (f === 'source') assert.equal(SOURCES[got.source] ?? kebabToSnake(got.source), w, f);
  }
}

for (const [name, c] of cases('documents')) {
  test(`conformance documents: ${name}`, () => {
    if (c.format === 'profile') {
      // The package reads no shared credentials/config files (browsers have none).
      tally('documents', 'na', name);
      return;
    }
    let run;
    if (c.format === 'env') {
      run = () => Credentials.fromEnv(c.input.env);
    } else {
      let bytes = readFileSync(join(ROOT, c.input.file));
      if (c.input.pad_to && c.input.pad_to > bytes.length) {
        bytes = Buffer.concat([bytes, Buffer.alloc(c.input.pad_to - bytes.length, 0x20)]);
      }
      run = () => Credentials.parse(new Uint8Array(bytes), { format: c.format });
    }
    if (c.expect.error) {
      assert.throws(run, (e) => {
        assert.equal(errorKind(e.code), c.expect.error, `error kind (code ${e.code}: ${e.message})`);
        for (const k of ['mentions', 'mentions_code']) {
          if (c.expect[k]) assert.ok(e.message.includes(c.expect[k]), `${e.message} mentions ${c.expect[k]}`);
        }
        return true;
      });
    } else if (c.expect.none) {
      assert.equal(run(), undefined);
    } else {
      checkCredentials(run(), c.expect);
    }
    tally('documents', 'pass');
  });
}

for (const [name, c] of cases('errors')) {
  test(`conformance errors: ${name}`, () => {
    const clockSkew = new ClockSkew();
    const body = c.body_file ? new Uint8Array(readFileSync(join(ROOT, c.body_file))) : null;
    const got = classifyError({ status: c.status, headers: c.headers, body }, { clockSkew, now: Date.parse(c.local_now) });
    for (const [f, w] of Object.entries(c.expect)) {
      if (f === 'action') assert.equal(kebabToSnake(got.action), w, f);
      else if (f === 'kind') assert.equal(kebabToSnake(got.kind), w, f);
      else if (f === 'code') assert.equal(got.code, w, f);
      else if (f === 'message') assert.equal(got.message, w, f);
      else if (f === 'skew_ms') assert.equal(got.skewMs, w, f);
      else if (f === 'skew_verdict') assert.equal(kebabToSnake(got.skewVerdict), w, f);
      else if (f === 'server_time') assert.equal(got.serverTime?.getTime() ?? null, w === null ? null : Date.parse(w), f);
      else if (f === 'offset_after_ms') assert.equal(clockSkew.offsetMs, w, f);
      else assert.fail(`unknown expectation ${f}`);
    }
    tally('errors', 'pass');
  });
}

// Refresh scenarios map onto CredentialCache where its API reaches: install (completion and
// next refresh time), invalidate (with the credentials' access key id), and get steps through
// decision() (the decision) plus get() when the credentials are fresh (the access key id; the
// provider must not be called). Lease-level steps are not applicable: CredentialCache hands no
// lease out (get() runs the provider itself, one refresh in flight), so complete/fail, who holds
// the lease, wait-until and failed-until cannot be driven or observed.
function refreshNotApplicable(c) {
  for (const step of c.steps) {
    if (!['install', 'invalidate', 'get'].includes(step.op)) return `op ${step.op} needs a lease`;
    if (step.op !== 'get') continue;
    const e = step.expect;
    if (e.access !== 'use' && e.access !== 'refresh') return `access ${e.access} is lease-level`;
    if (e.lease === true) return 'a background lease is lease-level';
    if (e.access === 'use' && e.decision !== 'fresh') return `get() would refresh in the background (${e.decision})`;
  }
  if (Object.keys(c.policy).length > 0) return 'policy overrides';
  return null;
}

const refreshReasons = {};
for (const [name, c] of cases('refresh')) {
  test(`conformance refresh: ${name}`, async () => {
    const reason = refreshNotApplicable(c);
    if (reason) {
      refreshReasons[name] = reason;
      tally('refresh', 'na', name);
      return;
    }
    let now = 0;
    const calls = [];
    const cache = new CredentialCache(
      () => {
        calls.push(now);
        throw new Error('the provider must not be called in this scenario');
      },
      { clock: () => now, random: () => 0 },
    );
    const creds = (k) => {
      const v = c.credentials[k];
      return { accessKeyId: v.access_key_id, secretAccessKey: v.secret_access_key, sessionToken: v.session_token, expiration: v.expiry ? Date.parse(v.expiry) : undefined };
    };
    for (const [i, step] of c.steps.entries()) {
      now = Date.parse(step.at);
      const e = step.expect;
      const at = `step ${i} (${step.op} at ${step.at})`;
      if (step.op === 'install') {
        const r = cache.install(creds(step.credentials));
        if (e.completion) assert.equal(kebabToSnake(r.kind), e.completion, `${at}: completion`);
        if (e.next_refresh_at) assert.equal(r.at?.getTime(), Date.parse(e.next_refresh_at), `${at}: next_refresh_at`);
      } else if (step.op === 'invalidate') {
        const r = cache.invalidate({ accessKeyId: step.access_key_id, secretAccessKey: 'unused' });
        assert.equal(r, e.invalidated, `${at}: invalidated`);
      } else {
        if (e.decision) assert.equal(kebabToSnake(cache.decision().kind), e.decision, `${at}: decision`);
        if (e.access === 'use') {
          const got = await cache.get();
          if (e.access_key_id) assert.equal(got.accessKeyId, e.access_key_id, `${at}: access_key_id`);
        }
      }
    }
    assert.deepEqual(calls, [], 'the provider was not called');
    cache.close();
    tally('refresh', 'pass');
  });
}

test('conformance: exchanges', () => {
  // fromInstanceMetadata/fromContainerMetadata drive the source machines with the host's fetch:
  // they expose no poll/respond steps, so exchanges are not applicable for this host.
  for (const [name] of cases('exchanges')) tally('exchanges', 'na', name);
});

test('conformance: summary', () => {
  for (const [kind, c] of Object.entries(counts)) {
    const na = c.na.map((n) => (refreshReasons[n] ? `${n} (${refreshReasons[n]})` : n));
    console.log(`conformance (node): ${kind}: ${c.passed} passed, ${c.na.length} not applicable for this host${na.length ? `: ${na.join(', ')}` : ''}`);
  }
});
