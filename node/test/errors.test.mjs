// Bad input gives clear errors: an Error subclass, a stable `code`, a message naming what was
// wrong and where, and never a secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ClockSkew,
  CredentialCache,
  Credentials,
  CredentialsError,
  DocumentError,
  InvalidArgumentError,
  SigfreshError,
  SigningError,
  classifyError,
  presign,
  sign,
} from 'sigfresh';

const T = Date.UTC(2015, 7, 30, 12, 36, 0);
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: 'SECRETTOKEN' };
const OPTS = { region: 'us-east-1', service: 'service', signingDate: T };
const URL_ = 'https://example.amazonaws.com/';

/** Asserts `fn` throws `Class` with `code`, a message matching `re`, and no secret. */
function throwsWith(fn, Class, code, re) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'an Error');
    assert.ok(e instanceof SigfreshError, 'a SigfreshError');
    assert.ok(e instanceof Class, `a ${Class.name}, got ${e.name}: ${e.message}`);
    assert.equal(e.name, Class.name);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    assert.ok(!e.message.includes(SECRET) && !e.message.includes('SECRETTOKEN'), `secret in: ${e.message}`);
    return true;
  });
}

test('errors: wrong types and missing fields in requests and options', () => {
  throwsWith(() => sign(undefined, CREDS, OPTS), InvalidArgumentError, 'ERR_MISSING_ARG', /request is required/);
  throwsWith(() => sign('GET /', CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /request must be an object, got a string/);
  throwsWith(() => sign({}, CREDS, OPTS), InvalidArgumentError, 'ERR_MISSING_ARG', /request\.url is required/);
  throwsWith(() => sign({ url: 42 }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /request\.url must be a string or URL, got a number/);
  throwsWith(() => sign({ url: URL_, method: 1 }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /request\.method/);
  throwsWith(() => sign({ url: URL_ }, CREDS), InvalidArgumentError, 'ERR_MISSING_ARG', /options is required/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { service: 's' }), InvalidArgumentError, 'ERR_MISSING_ARG', /options\.region is required/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { region: 'r', service: ['s'] }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /options\.service must be a string, got an array/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, s3: 'yes' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /options\.s3 must be a boolean/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, uriEncoding: 'triple' }), InvalidArgumentError, 'ERR_INVALID_ARG_VALUE', /"double", "single"/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, allowHeaders: 'x-a' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /allowHeaders/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, allowHeaders: ['a'], denyHeaders: ['b'] }), InvalidArgumentError, 'ERR_INVALID_ARG_VALUE', /not both/);
  throwsWith(() => sign({ url: URL_, headers: 'x-a: 1' }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /request\.headers/);
  throwsWith(() => sign({ url: URL_, headers: { 'x-a': { v: 1 } } }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /header "x-a" must be a string or number/);
  throwsWith(() => sign({ url: URL_, headers: [['x-a']] }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /\[name, value\] pair/);
  throwsWith(() => sign({ url: URL_, body: 12 }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /request\.body/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, payloadHash: 5 }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /payloadHash/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { region: 'r', service: 's', clockSkew: {} }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /clockSkew must be a ClockSkew, got an object/);
});

test('errors: invalid dates and times', () => {
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, signingDate: new Date('not a date') }), InvalidArgumentError, 'ERR_INVALID_DATE', /signingDate is an invalid Date/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, signingDate: '2015-08-30' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /signingDate must be a Date or a number/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, signingDate: NaN }), InvalidArgumentError, 'ERR_INVALID_DATE');
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, signingDate: Date.UTC(10000, 0, 1) }), SigningError, 'ERR_TIME_OUT_OF_RANGE', /0\.\.=9999/);
  throwsWith(() => new Credentials({ ...CREDS, expiration: new Date('x') }), InvalidArgumentError, 'ERR_INVALID_DATE', /expiration/);
  throwsWith(() => new Credentials({ ...CREDS, expiration: '2024-01-01' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /expiration/);
  throwsWith(() => new ClockSkew().observeDateHeader('yesterday'), InvalidArgumentError, 'ERR_INVALID_DATE', /Date header: invalid timestamp/);
  throwsWith(() => new ClockSkew().observe(Infinity), InvalidArgumentError, 'ERR_INVALID_DATE');
  throwsWith(
    () => Credentials.parse('{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2024-13-01T00:00:00Z","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC"}'),
    DocumentError,
    'ERR_DOCUMENT_INVALID_TIMESTAMP',
    /Expiration/,
  );
});

test('errors: the core refuses what AWS would reject, naming the part', () => {
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, region: 'us east 1' }), SigningError, 'ERR_INVALID_REGION');
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, service: '' }), SigningError, 'ERR_INVALID_SERVICE');
  throwsWith(() => sign({ url: URL_, method: 'GE T' }, CREDS, OPTS), SigningError, 'ERR_INVALID_METHOD');
  throwsWith(() => sign({ url: 'example.com/a' }, CREDS, OPTS), SigningError, 'ERR_INVALID_URI', /http\(s\):\/\//);
  throwsWith(() => sign({ url: '/path' }, CREDS, OPTS), SigningError, 'ERR_MISSING_HOST');
  throwsWith(() => sign({ url: URL_, headers: { 'bad name': 'v' } }, CREDS, OPTS), SigningError, 'ERR_INVALID_HEADER_NAME', /header #0/);
  assert.throws(
    () => sign({ url: URL_, headers: { 'x-a': 'ok', 'X-Inject': 'a\r\nb' } }, CREDS, OPTS),
    (e) => e.code === 'ERR_INVALID_HEADER_VALUE' && e.field === 'x-inject' && e.offset === 1,
  );
  throwsWith(() => sign({ url: URL_, headers: { 'x-a': 'a\0b' } }, CREDS, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_VALUE', /NUL/);
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, payloadHash: 'abc' }), SigningError, 'ERR_INVALID_PAYLOAD_HASH');
  throwsWith(
    () => sign({ url: URL_, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'x' }, CREDS, OPTS),
    SigningError,
    'ERR_CONTENT_SHA256_MISMATCH',
  );
  throwsWith(() => presign({ url: URL_ }, CREDS, { ...OPTS, expiresIn: 0 }), SigningError, 'ERR_INVALID_EXPIRES', /604800/);
  throwsWith(() => presign({ url: URL_ }, CREDS, { ...OPTS, expiresIn: 604801 }), SigningError, 'ERR_INVALID_EXPIRES');
  throwsWith(() => presign({ url: URL_ }, CREDS, { ...OPTS, expiresIn: 1.5 }), InvalidArgumentError, 'ERR_INVALID_ARG_VALUE', /whole/);
  throwsWith(() => presign({ url: URL_ }, CREDS, { ...OPTS, expiresIn: '900' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE');
  throwsWith(() => sign({ url: URL_ }, CREDS, { ...OPTS, allowHeaders: ['bad name'] }), SigningError, 'ERR_INVALID_HEADER_SELECTION');
});

test('errors: credentials', () => {
  throwsWith(() => sign({ url: URL_ }, null, OPTS), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /credentials must be/);
  throwsWith(() => sign({ url: URL_ }, { accessKeyId: 'A' }, OPTS), InvalidArgumentError, 'ERR_MISSING_ARG', /secretAccessKey is required/);
  throwsWith(() => new Credentials({ accessKeyId: '', secretAccessKey: 's' }), CredentialsError, 'ERR_CREDENTIALS_EMPTY', /access key id is empty/);
  assert.throws(
    () => new Credentials({ accessKeyId: 'AKID', secretAccessKey: 'sec ret' }),
    (e) => e instanceof CredentialsError && e.code === 'ERR_CREDENTIALS_INVALID_CHARACTER' && e.field === 'secret access key' && e.offset === 3 && !e.message.includes('sec ret'),
  );
  throwsWith(() => new Credentials({ ...CREDS, accessKeyId: 'A/B' }), CredentialsError, 'ERR_CREDENTIALS_INVALID_CHARACTER', /access key id/);
  throwsWith(() => new Credentials({ ...CREDS, source: 'moon' }), InvalidArgumentError, 'ERR_INVALID_ARG_VALUE', /source/);
  throwsWith(() => new Credentials(), InvalidArgumentError, 'ERR_MISSING_ARG');
});

test('errors: documents', () => {
  throwsWith(() => Credentials.parse('{"hello":1}'), DocumentError, 'ERR_DOCUMENT_UNRECOGNIZED');
  throwsWith(() => Credentials.parse('{"Version":1,"AccessKeyId":"A"'), DocumentError, 'ERR_DOCUMENT_SYNTAX');
  assert.throws(
    () => Credentials.parse(`{"Version":1,"AccessKeyId":"AKIA","SessionToken":"${'SECRETTOKEN'}"}`),
    (e) => e instanceof DocumentError && e.code === 'ERR_DOCUMENT_MISSING_FIELD' && e.field === 'SecretAccessKey' && !e.message.includes('SECRETTOKEN'),
  );
  throwsWith(() => Credentials.parse('{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}'), DocumentError, 'ERR_DOCUMENT_UNSUPPORTED_VERSION');
  assert.throws(() => Credentials.parse('{"Code":"AssumeRoleUnauthorizedAccess","Message":"no"}'), (e) => e.code === 'ERR_DOCUMENT_SERVICE_ERROR' && e.awsCode === 'AssumeRoleUnauthorizedAccess');
  throwsWith(() => Credentials.parse('{}', { format: 'xml' }), InvalidArgumentError, 'ERR_INVALID_ARG_VALUE', /imds, container/);
  throwsWith(() => Credentials.parse(42), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE');
  // JSON/XML over 64 KiB; text (profile files, environment lines) over 1 MiB.
  throwsWith(() => Credentials.parse('{' + ' '.repeat(70_000)), DocumentError, 'ERR_DOCUMENT_TOO_LARGE');
  throwsWith(() => Credentials.parse('x'.repeat(1_100_000)), DocumentError, 'ERR_DOCUMENT_TOO_LARGE');
  throwsWith(() => Credentials.parse('x'.repeat(70_000)), DocumentError, 'ERR_DOCUMENT_UNRECOGNIZED');
  throwsWith(() => Credentials.fromEnv({ AWS_ACCESS_KEY_ID: 'A' }), DocumentError, 'ERR_DOCUMENT_MISSING_FIELD', /AWS_SECRET_ACCESS_KEY/);
});

test('errors: caches, clocks, classification', () => {
  throwsWith(() => new CredentialCache(async () => CREDS, { clock: 'now' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /options\.clock must be a function/);
  throwsWith(() => new CredentialCache(async () => CREDS, { policy: { refreshWindowMs: '5m' } }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE');
  throwsWith(() => new CredentialCache(async () => CREDS, { policy: { refreshJitterPercent: 101 } }), InvalidArgumentError, 'ERR_INVALID_POLICY', /100/);
  throwsWith(() => new ClockSkew({ thresholdMs: 'x' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE');
  throwsWith(() => classifyError({ status: '403' }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /response\.status/);
  throwsWith(() => classifyError({ status: 403, body: 5 }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /response\.body/);
  throwsWith(() => classifyError({ status: 403 }, { clockSkew: 1 }), InvalidArgumentError, 'ERR_INVALID_ARG_TYPE', /clockSkew/);
});

test('errors: a bad clock or random source in a cache does not wedge it', async () => {
  let n = 0;
  const cache = new CredentialCache(async () => ({ accessKeyId: `A${++n}`, secretAccessKey: 's', expiration: new Date(Date.now() + 3_600_000) }), {
    random: () => NaN,
  });
  assert.equal((await cache.get()).accessKeyId, 'A1', 'NaN jitter counts as zero (the core clamps it)');
  const broken = new CredentialCache(async () => CREDS, { clock: () => 'soon' });
  await assert.rejects(broken.get(), (e) => e.code === 'ERR_INVALID_ARG_TYPE' && /clock\(\)/.test(e.message));
});
