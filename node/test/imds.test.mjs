// fromInstanceMetadata / fromContainerMetadata: the core's machines driven through the host's
// fetch. First against a scripted fetch (every request the machine sends is checked), then
// against AWS's IMDS emulator (amazon-ec2-metadata-mock, installed by
// tests/imds/install-emulator.sh) with Node's real fetch over 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { RefreshError, fromContainerMetadata, fromInstanceMetadata, sign } from 'sigfresh';
import { ROOT } from './helpers.mjs';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const HOUR = 3_600_000;
const IMDS = 'http://169.254.169.254';

function doc(n, expiresAt) {
  return JSON.stringify({
    Code: 'Success',
    LastUpdated: '2024-05-01T12:00:00Z',
    Type: 'AWS-HMAC',
    AccessKeyId: `ASIAIMDS${n}`,
    SecretAccessKey: `imdsSecret${n}`,
    Token: `imdsToken${n}`,
    Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
}

/** A scripted IMDS: `routes(method, path, headers)` answers; every request is logged. */
function scripted(routes) {
  const h = { now: T0, log: [], slept: [] };
  h.fetch = async (url, init) => {
    const u = new URL(url);
    const headers = Object.fromEntries(init.headers.map(([k, v]) => [k.toLowerCase(), v]));
    h.log.push({ method: init.method, url: url, path: u.pathname, headers });
    const r = await routes(init.method, u.pathname, headers, h);
    if (r instanceof Error) throw r;
    return new Response(r.body ?? '', { status: r.status ?? 200, headers: r.headers });
  };
  h.options = {
    fetch: h.fetch,
    env: {},
    clock: () => h.now,
    random: () => 0,
    sleep: async (ms) => {
      h.slept.push(ms);
      h.now += ms;
    },
  };
  return h;
}

function imdsV2(h, { token = 'tok-1', role = 'my-role', n = () => 1 } = {}) {
  return (method, path, headers) => {
    if (method === 'PUT' && path === '/latest/api/token') return { body: token, headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } };
    if (headers['x-aws-ec2-metadata-token'] !== token) return { status: 401 };
    if (path === '/latest/meta-data/iam/security-credentials/') return { body: `${role}\n` };
    if (path === `/latest/meta-data/iam/security-credentials/${role}`) return { body: doc(n(), h.now + 6 * HOUR) };
    return { status: 404 };
  };
}

test('imds: IMDSv2 token, role, credentials; 100 concurrent callers share one fetch', async () => {
  const h = scripted((...a) => imdsV2(h)(...a));
  const provider = fromInstanceMetadata(h.options);
  const ids = await Promise.all(Array.from({ length: 100 }, () => provider()));
  assert.deepEqual(
    h.log.map((r) => `${r.method} ${r.url}`),
    [
      `PUT ${IMDS}/latest/api/token`,
      `GET ${IMDS}/latest/meta-data/iam/security-credentials/`,
      `GET ${IMDS}/latest/meta-data/iam/security-credentials/my-role`,
    ],
  );
  assert.equal(h.log[0].headers['x-aws-ec2-metadata-token-ttl-seconds'], '21600');
  assert.equal(h.log[1].headers['x-aws-ec2-metadata-token'], 'tok-1');
  assert.ok(ids.every((id) => id.accessKeyId === 'ASIAIMDS1' && id.sessionToken === 'imdsToken1'));
  assert.equal(ids[0].expiration.getTime(), T0 + 6 * HOUR);
  const creds = await provider.credentials();
  assert.equal(creds.source, 'instance-metadata');
  // The credentials sign.
  const s = sign({ url: 'https://example.amazonaws.com/' }, creds, { region: 'us-east-1', service: 'service', signingDate: T0 });
  assert.equal(s.headers['x-amz-security-token'], 'imdsToken1');
});

test('imds: the next refresh reuses the session token and role name (one GET)', async () => {
  let n = 0;
  const h = scripted((...a) => imdsV2(h, { n: () => ++n })(...a));
  const provider = fromInstanceMetadata(h.options);
  await provider();
  h.log.length = 0;
  h.now += 6 * HOUR - 4 * 60_000; // inside the refresh window
  await provider(); // old credentials, refresh started in the background
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(h.log.map((r) => `${r.method} ${r.path}`), ['GET /latest/meta-data/iam/security-credentials/my-role']);
  assert.equal((await provider()).accessKeyId, 'ASIAIMDS2');
});

test('imds: token 403 falls back to IMDSv1; with IMDSv1 disabled it is an error with a code', async () => {
  const v1 = (h) => (method, path, headers) => {
    if (method === 'PUT') return { status: 403 };
    assert.equal(headers['x-aws-ec2-metadata-token'], undefined);
    if (path === '/latest/meta-data/iam/security-credentials/') return { body: 'r' };
    return { body: doc(1, h.now + HOUR) };
  };
  const h = scripted((...a) => v1(h)(...a));
  assert.equal((await fromInstanceMetadata(h.options)()).accessKeyId, 'ASIAIMDS1');
  const h2 = scripted((...a) => v1(h2)(...a));
  await assert.rejects(fromInstanceMetadata({ ...h2.options, disableImdsV1: true })(), (e) => {
    assert.ok(e instanceof RefreshError);
    assert.equal(e.reason, 'ERR_IMDS_V1_DISABLED');
    assert.equal(e.cause.code, 'ERR_IMDS_V1_DISABLED');
    assert.equal(e.cause.name, 'SourceError');
    return true;
  });
  assert.equal(h2.log.length, 1, 'no request without a token was sent');
});

test('imds: 5xx answers are retried after a backoff, then succeed', async () => {
  let fails = 2;
  const h = scripted((method, path, headers, hh) => {
    if (path.endsWith('/my-role') && fails-- > 0) return { status: 503 };
    return imdsV2(hh)(method, path, headers);
  });
  const id = await fromInstanceMetadata(h.options)();
  assert.equal(id.accessKeyId, 'ASIAIMDS1');
  assert.equal(h.log.filter((r) => r.path.endsWith('/my-role')).length, 3);
  assert.equal(h.slept.length, 2, 'two backoff waits, timed by the core');
});

test('imds: connection refused on every attempt: exhausted, marked unavailable', async () => {
  const refused = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const h = scripted(() => refused());
  await assert.rejects(fromInstanceMetadata(h.options)(), (e) => {
    assert.equal(e.code, 'ERR_CREDENTIALS_UNAVAILABLE');
    assert.equal(e.cause.name, 'SourceError');
    assert.match(e.cause.code, /^ERR_(SOURCE_EXHAUSTED|IMDS_)/);
    return true;
  });
});

test('imds: a request that hangs is aborted after timeoutMs and reported as a timeout', async () => {
  const h = scripted((method, path, headers, hh) => {
    if (method === 'PUT') return new Promise(() => {}); // the token request never answers
    return imdsV2(hh)(method, path, { ...headers, 'x-aws-ec2-metadata-token': 'tok-1' });
  });
  // fetch must honour the abort signal; this one rejects when aborted.
  const fetchWithAbort = (url, init) =>
    Promise.race([h.fetch(url, init), new Promise((_, rej) => init.signal.addEventListener('abort', () => rej(new Error('aborted'))))]);
  const id = await fromInstanceMetadata({ ...h.options, fetch: fetchWithAbort, timeoutMs: 50 })();
  // A token timeout means IMDSv1 for this fetch (the AWS SDK rule; a hop-limit hint).
  assert.equal(id.accessKeyId, 'ASIAIMDS1');
  assert.equal(h.log[1].headers['x-aws-ec2-metadata-token'], undefined);
});

test('imds: no role attached and IMDS disabled by the environment', async () => {
  const h = scripted((method, path) => (method === 'PUT' ? { body: 't' } : { status: 404 }));
  await assert.rejects(fromInstanceMetadata(h.options)(), (e) => e.reason === 'ERR_IMDS_NO_ROLE' && e.failure === 'non-retryable');
  const h2 = scripted(() => ({ status: 500 }));
  await assert.rejects(fromInstanceMetadata({ ...h2.options, env: { AWS_EC2_METADATA_DISABLED: 'true' } })(), (e) => e.reason === 'ERR_IMDS_DISABLED');
  assert.equal(h2.log.length, 0);
  assert.throws(() => fromInstanceMetadata({ fetch: 'no' }), (e) => e.code === 'ERR_INVALID_ARG_TYPE');
});

test('container: full URI with an authorization token file', async () => {
  const h = scripted((method, path, headers, hh) => {
    assert.equal(headers.authorization, 'pod-token'); // sent as is, as the AWS SDKs do
    return {
      body: JSON.stringify({
        AccessKeyId: 'ASIACONTAINER',
        SecretAccessKey: 's',
        Token: 't',
        Expiration: new Date(hh.now + HOUR).toISOString(),
        AccountId: '123456789012',
      }),
    };
  });
  const provider = fromContainerMetadata({
    ...h.options,
    env: {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9911/v1/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/token',
    },
    readFile: async (path) => {
      assert.equal(path, '/var/run/token');
      return 'pod-token';
    },
  });
  const id = await provider();
  assert.equal(id.accessKeyId, 'ASIACONTAINER');
  assert.equal(id.accountId, '123456789012');
  assert.equal(h.log[0].url, 'http://127.0.0.1:9911/v1/credentials');
  assert.equal((await provider.credentials()).source, 'container');
});

test('container: not configured, or a plain-http URL to a non-local address', async () => {
  const h = scripted(() => ({ status: 500 }));
  await assert.rejects(fromContainerMetadata(h.options)(), (e) => e.reason === 'ERR_CONTAINER_NOT_CONFIGURED');
  await assert.rejects(
    fromContainerMetadata({ ...h.options, env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://10.0.0.1/creds' } })(),
    (e) => e.reason === 'ERR_CONTAINER_URL_NOT_ALLOWED',
  );
  assert.equal(h.log.length, 0);
});

// ---- Against AWS's IMDS emulator (amazon-ec2-metadata-mock), over 127.0.0.1 ----

function aemmPath() {
  if (process.env.SIGFRESH_AEMM_BIN) return process.env.SIGFRESH_AEMM_BIN;
  const dir = process.env.SIGFRESH_EMULATOR_DIR || join(ROOT, 'target/imds-emulator');
  return join(dir, 'bin/ec2-metadata-mock');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startAemm(imdsv2Only) {
  const port = await freePort();
  const args = ['--hostname', '127.0.0.1', '--port', String(port), '--config-file', join(ROOT, 'tests/imds/aemm-config.json')];
  if (imdsv2Only) args.push('--imdsv2');
  const child = spawn(aemmPath(), args, { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${endpoint}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } });
      return { child, endpoint };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('amazon-ec2-metadata-mock did not start');
}

const haveAemm = existsSync(aemmPath());
if (!haveAemm && process.env.SIGFRESH_REQUIRE_EMULATOR) {
  test('imds emulator: required but missing', () => {
    assert.fail(`SIGFRESH_REQUIRE_EMULATOR is set but ${aemmPath()} is missing (run tests/imds/install-emulator.sh)`);
  });
}

for (const imdsv2Only of [true, false]) {
  test(`imds emulator: amazon-ec2-metadata-mock (${imdsv2Only ? 'IMDSv2 only' : 'v1 and v2'}) through Node's fetch`, { skip: haveAemm ? false : `amazon-ec2-metadata-mock not installed at ${aemmPath()} (tests/imds/install-emulator.sh)` }, async () => {
    const { child, endpoint } = await startAemm(imdsv2Only);
    try {
      const log = [];
      const loggingFetch = (url, init) => {
        log.push(`${init.method} ${new URL(url).pathname}`);
        return fetch(url, init);
      };
      const provider = fromInstanceMetadata({ fetch: loggingFetch, endpoint, env: {} });
      const ids = await Promise.all(Array.from({ length: 20 }, () => provider()));
      assert.ok(ids.every((id) => id.accessKeyId === 'ASIASIGFRESHEMULATOR'));
      assert.equal(ids[0].sessionToken, 'sigfreshEmulatorSessionToken');
      assert.equal(ids[0].expiration.toISOString(), '2099-01-01T00:00:00.000Z');
      assert.deepEqual(log, [
        'PUT /latest/api/token',
        'GET /latest/meta-data/iam/security-credentials/',
        'GET /latest/meta-data/iam/security-credentials/sigfresh-test-role',
      ]);
      const creds = await provider.credentials();
      assert.equal(creds.source, 'instance-metadata');
    } finally {
      child.kill();
    }
  });
}
