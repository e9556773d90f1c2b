// The rest of the JS API against the built package: presign, verify, signRequest, Credentials
// (construction, documents, environment, redaction), clock skew and error classification, and
// the workloads of tests/bench/workload.json.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import {
  ClockSkew,
  Credentials,
  classifyError,
  classifyResponse,
  isSkewError,
  parseHttpDate,
  presign,
  ready,
  sign,
  signRequest,
  verify,
  version,
} from 'sigfresh';
import { workload } from './helpers.mjs';

const T = Date.UTC(2015, 7, 30, 12, 36, 0);
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const CREDS = { accessKeyId: AKID, secretAccessKey: SECRET };
const OPTS = { region: 'us-east-1', service: 'service', signingDate: T };

test('api: ready resolves at once in Node and the core version is reported', async () => {
  await ready;
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

test('api: W1, W2 and W3 of the shared bench workload, every stage', () => {
  const wl = workload();
  const creds = new Credentials({ accessKeyId: wl.access_key, secretAccessKey: wl.secret_key, sessionToken: wl.session_token });
  const t = wl.time_epoch * 1000;
  const w1 = sign({ method: wl.W1.method, url: wl.W1.url, headers: wl.W1.headers }, creds, {
    region: wl.W1.region,
    service: wl.W1.service,
    s3: true,
    signingDate: t,
    payloadHash: 'UNSIGNED-PAYLOAD',
    stages: true,
  });
  assert.equal(w1.canonicalRequest, wl.W1.canonical_request);
  assert.equal(w1.stringToSign, wl.W1.string_to_sign);
  assert.equal(w1.signature, wl.W1.signature);
  assert.deepEqual(Object.keys(w1.headers), ['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'authorization']);
  const w2 = sign({ method: wl.W2.method, url: wl.W2.url, headers: wl.W2.headers, body: wl.W2.body }, creds, {
    region: wl.W2.region,
    service: wl.W2.service,
    signingDate: t,
    stages: true,
  });
  assert.equal(w2.canonicalRequest, wl.W2.canonical_request);
  assert.equal(w2.signature, wl.W2.signature);
  // The same body as bytes signs the same.
  const w2b = sign({ method: 'POST', url: wl.W2.url, headers: wl.W2.headers, body: new TextEncoder().encode(wl.W2.body) }, creds, {
    region: wl.W2.region,
    service: wl.W2.service,
    signingDate: t,
  });
  assert.equal(w2b.signature, wl.W2.signature);
  const w3 = presign({ method: wl.W3.method, url: wl.W3.url }, creds, {
    region: wl.W3.region,
    service: wl.W3.service,
    s3: true,
    signingDate: t,
    expiresIn: wl.W3.expires,
    payloadHash: 'UNSIGNED-PAYLOAD',
    stages: true,
  });
  assert.equal(w3.canonicalRequest, wl.W3.canonical_request);
  assert.equal(w3.signature, wl.W3.signature);
  assert.ok(w3.url.startsWith(`${wl.W3.url}&X-Amz-Algorithm=AWS4-HMAC-SHA256&`));
  assert.ok(w3.url.endsWith(`&X-Amz-Signature=${wl.W3.signature}`));
});

test('api: verify accepts what sign and presign produce, and names what is wrong otherwise', () => {
  const creds = new Credentials({ ...CREDS, sessionToken: 'tok' });
  const req = { method: 'POST', url: 'https://example.amazonaws.com/a?b=c', headers: { 'content-type': 'text/plain' }, body: 'hello' };
  const s = sign(req, creds, OPTS);
  const signed = { ...req, headers: { ...req.headers, ...s.headers } };
  const v = verify(signed, creds, { now: T + 1000 });
  assert.equal(v.accessKeyId, AKID);
  assert.equal(v.region, 'us-east-1');
  assert.equal(v.signedAt.getTime(), T);
  assert.equal(v.expiresAt, null);
  assert.deepEqual(v.signedHeaders, ['content-type', 'host', 'x-amz-date', 'x-amz-security-token']);
  // A lookup function.
  assert.equal(verify(signed, (id) => (id === AKID ? creds : undefined), { now: T }).service, 'service');
  // A changed body.
  assert.throws(
    () => verify({ ...signed, body: 'hellO' }, creds, { now: T }),
    (e) =>
      e.name === 'VerifyError' &&
      e.code === 'ERR_VERIFY_SIGNATURE_MISMATCH' &&
      e.canonicalRequest.includes('/a') &&
      // The token's value is redacted where it stands (the header name itself contains "tok").
      e.canonicalRequest.includes('\nx-amz-security-token:<redacted>\n') &&
      !e.canonicalRequest.split('\n').some((line) => line.endsWith(':tok')),
  );
  assert.throws(() => verify(signed, creds, { now: T + 16 * 60_000 }), (e) => e.code === 'ERR_VERIFY_REQUEST_TIME_TOO_SKEWED');
  assert.throws(() => verify(signed, () => undefined, { now: T }), (e) => e.code === 'ERR_VERIFY_UNKNOWN_ACCESS_KEY' && e.field === AKID);
  assert.throws(() => verify(req, creds, { now: T }), (e) => e.code === 'ERR_VERIFY_MISSING_SIGNATURE');
  // An error thrown by the lookup reaches the caller unchanged.
  const boom = new Error('lookup failed');
  assert.throws(() => verify(signed, () => { throw boom; }, { now: T }), (e) => e === boom);
  // Presigned URLs.
  const p = presign({ url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, creds, { region: 'us-east-1', service: 's3', s3: true, signingDate: T, expiresIn: 60, payloadHash: 'UNSIGNED-PAYLOAD' });
  const pv = verify({ url: p.url }, creds, { now: T + 30_000, s3: true, payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.equal(pv.expiresAt.getTime(), T + 60_000);
  assert.throws(() => verify({ url: p.url }, creds, { now: T + 61_000, s3: true, payloadHash: 'UNSIGNED-PAYLOAD' }), (e) => e.code === 'ERR_VERIFY_EXPIRED');
});

test('api: signRequest signs a fetch Request, reading its body', async () => {
  const r = new Request('https://example.amazonaws.com/items', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  const signed = await signRequest(r, CREDS, OPTS);
  const direct = sign({ method: 'POST', url: r.url, headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, CREDS, OPTS);
  assert.equal(signed.headers.get('authorization'), direct.authorization);
  assert.equal(signed.headers.get('x-amz-date'), '20150830T123600Z');
  assert.equal(await signed.text(), '{"a":1}');
  const pre = await signRequest(new Request('https://example.amazonaws.com/x'), CREDS, { ...OPTS, presign: true, expiresIn: 30 });
  assert.match(pre.url, /X-Amz-Expires=30&/);
  // A Request's body is a stream: sign() cannot hash it synchronously and says what to do.
  assert.throws(() => sign(r, CREDS, OPTS), (e) => e.code === 'ERR_BODY_NOT_READABLE' && /signRequest/.test(e.message));
  // ... unless the payload hash is given.
  assert.equal(sign(r, CREDS, { ...OPTS, payloadHash: 'UNSIGNED-PAYLOAD' }).headers['x-amz-date'], '20150830T123600Z');
});

test('api: headers as Headers, Map, pairs or object give the same signature', () => {
  const forms = [
    new Headers({ 'x-a': '1', 'x-b': '2' }),
    new Map([['x-a', '1'], ['x-b', 2]]),
    [['X-A', '1'], ['x-b', '2']],
    { 'x-a': '1', 'X-B': 2 },
  ];
  const sigs = forms.map((headers) => sign({ url: 'https://example.amazonaws.com/', headers }, CREDS, OPTS).signature);
  assert.ok(sigs.every((s) => s === sigs[0]), sigs.join(' '));
  const repeated = sign({ url: 'https://h.example/', headers: { 'x-a': ['1', '2'] } }, CREDS, { ...OPTS, stages: true });
  assert.match(repeated.canonicalRequest, /\nx-a:1,2\n/);
});

test('api: settings (S3 rules, token after signing, allow/deny lists)', () => {
  const creds = { ...CREDS, sessionToken: 'tok' };
  const url = 'https://b.s3.amazonaws.com/a//b/../c%3D';
  const s3 = sign({ url }, creds, { ...OPTS, service: 's3', s3: true, stages: true });
  assert.equal(s3.canonicalRequest.split('\n')[1], '/a//b/../c%3D');
  assert.ok('x-amz-content-sha256' in s3.headers);
  const other = sign({ url }, creds, { ...OPTS, stages: true });
  assert.equal(other.canonicalRequest.split('\n')[1], '/a/c%253D');
  const after = sign({ url }, creds, { ...OPTS, sessionToken: 'append-after-signing', stages: true });
  assert.ok(!after.canonicalRequest.includes('x-amz-security-token'));
  assert.equal(after.headers['x-amz-security-token'], 'tok');
  const allow = sign({ url, headers: { 'x-a': '1', 'x-b': '2' } }, creds, { ...OPTS, allowHeaders: ['X-B'] });
  assert.match(allow.authorization, /SignedHeaders=host;x-amz-date;x-amz-security-token;x-b,/);
  const deny = sign({ url, headers: { 'x-a': '1', 'x-b': '2' } }, creds, { ...OPTS, denyHeaders: ['x-b'] });
  assert.match(deny.authorization, /SignedHeaders=host;x-a;x-amz-date;x-amz-security-token,/);
});

test('api: Credentials construction, getters, redaction', () => {
  const exp = new Date(T + 3_600_000);
  const c = new Credentials({ ...CREDS, sessionToken: 'sessiontoken', expiration: exp, accountId: '123456789012' });
  assert.equal(c.accessKeyId, AKID);
  assert.equal(c.secretAccessKey, SECRET);
  assert.equal(c.sessionToken, 'sessiontoken');
  assert.equal(c.expiration.getTime(), exp.getTime());
  assert.equal(c.accountId, '123456789012');
  assert.equal(c.source, 'static');
  assert.equal(new Credentials({ ...CREDS, expiration: T }).expiration.getTime(), T);
  for (const text of [inspect(c), JSON.stringify(c), String(c), `${c}`]) {
    assert.ok(!text.includes(SECRET) && !text.includes('sessiontoken'), text);
  }
  assert.deepEqual(c.toAwsIdentity(), { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: 'sessiontoken', expiration: exp, accountId: '123456789012' });
  assert.equal(Credentials.from(c), c);
});

test('api: Credentials.parse reads every document format; fromEnv reads the environment', () => {
  const imds = Credentials.parse(
    '{"Code":"Success","LastUpdated":"2024-05-01T12:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAI","SecretAccessKey":"s","Token":"t","Expiration":"2024-05-01T18:00:00Z"}',
  );
  assert.equal(imds.format, 'imds');
  assert.equal(imds.source, 'instance-metadata');
  assert.equal(imds.expiration.toISOString(), '2024-05-01T18:00:00.000Z');
  const proc = Credentials.parse(new TextEncoder().encode('{"Version":1,"AccessKeyId":"AKIAP","SecretAccessKey":"s"}'));
  assert.equal(proc.format, 'process');
  const sso = Credentials.parse('{"roleCredentials":{"accessKeyId":"ASIAS","secretAccessKey":"s","sessionToken":"t","expiration":1714586400000}}');
  assert.equal(sso.format, 'sso');
  assert.equal(sso.expiration.getTime(), 1714586400000);
  const sts = Credentials.parse(
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAT</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2024-05-01T18:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>x</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>',
  );
  assert.equal(sts.format, 'sts');
  assert.equal(sts.accountId, '123456789012');
  const container = Credentials.parse('{"AccessKeyId":"ASIAC","SecretAccessKey":"s","Token":"t","Expiration":"2024-05-01T18:00:00Z"}', { format: 'container' });
  assert.equal(container.source, 'container');
  const env = Credentials.fromEnv({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's', AWS_CREDENTIAL_EXPIRATION: '2024-05-01T18:00:00Z' });
  assert.equal(env.accessKeyId, 'AKIAENV');
  assert.equal(env.source, 'environment');
  assert.equal(Credentials.fromEnv({}), undefined);
});

test('api: clock skew is learned from Date headers and corrects the signing time', () => {
  let local = T;
  const skew = new ClockSkew({ clock: () => local });
  const o = skew.observeDateHeader('Sun, 30 Aug 2015 12:46:00 GMT');
  assert.deepEqual(o, { adopted: true, offsetMs: 600_000, measuredMs: 600_000, previousOffsetMs: 0 });
  assert.equal(skew.offsetMs, 600_000);
  assert.equal(skew.now(), T + 600_000);
  assert.equal(skew.corrected(T).getTime(), T + 600_000);
  const s = sign({ url: 'https://example.amazonaws.com/' }, CREDS, { region: 'us-east-1', service: 'service', clockSkew: skew });
  assert.equal(s.headers['x-amz-date'], '20150830T124600Z');
  // Noise below the 4-minute threshold is not adopted.
  assert.equal(skew.observe(T + 660_000).adopted, false);
  assert.equal(skew.observeRoundTrip(T, T, T + 20 * 60_000), null);
  skew.reset();
  assert.equal(skew.offsetMs, 0);
  assert.equal(isSkewError('RequestTimeTooSkewed', 403), 'definite');
  assert.equal(isSkewError('SignatureDoesNotMatch', 403, 600_000), 'likely');
  assert.equal(isSkewError('NoSuchKey', 404), 'not-skew');
  assert.equal(parseHttpDate('Sun, 30 Aug 2015 12:36:00 GMT').getTime(), T);
});

test('api: classifyError says what to do and teaches the clock', async () => {
  const expired = classifyError({
    status: 403,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"The security token included in the request is expired"}',
  });
  assert.equal(expired.action, 'refresh-credentials-and-retry');
  assert.equal(expired.kind, 'expired-token');
  const skew = new ClockSkew({ clock: () => T });
  const c = classifyError(
    { status: 403, headers: [['Date', 'Sun, 30 Aug 2015 12:46:00 GMT']], body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' },
    { clockSkew: skew },
  );
  assert.equal(c.action, 'correct-clock-and-retry');
  assert.equal(c.code, 'SignatureDoesNotMatch');
  assert.equal(c.skewMs, 600_000);
  assert.equal(c.serverTime.getTime(), T + 600_000);
  assert.equal(c.skewChange.adopted, true);
  assert.equal(skew.offsetMs, 600_000);
  assert.ok(c.explanation.length > 20);
  const throttled = classifyError({ status: 400, body: '{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}' });
  assert.equal(throttled.action, 'throttled');
  assert.equal(throttled.code, 'ThrottlingException');
  const notRecognized = classifyError({ status: 403, body: '<Error><Code>InvalidClientTokenId</Code></Error>' });
  assert.equal(notRecognized.action, 'fatal');
  assert.equal(notRecognized.actionForTemporaryCredentials, 'refresh-credentials-and-retry');
  const viaFetch = await classifyResponse(new Response('<Error><Code>SlowDown</Code></Error>', { status: 503 }));
  assert.equal(viaFetch.action, 'throttled');
});
