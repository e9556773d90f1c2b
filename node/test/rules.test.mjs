// The rules moved into the core, as the npm package shows them: expired credentials in verify
// (their own error code), a presigned URL's real lifetime, and the canonical request / string
// to sign AWS echoes in an S3 SignatureDoesNotMatch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Credentials, classifyError, presign, sign, verify } from 'sigfresh';

const T = Date.UTC(2015, 7, 30, 12, 36, 0);
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const OPTS = { region: 'us-east-1', service: 'service', signingDate: T };

test('rules: verify refuses a valid signature from expired credentials with its own code', () => {
  const creds = new Credentials({ accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: 'tok', expiration: T + 500 });
  const req = { method: 'GET', url: 'https://example.amazonaws.com/' };
  const s = sign(req, creds, OPTS);
  const signed = { ...req, headers: s.headers };
  assert.equal(verify(signed, creds, { now: T + 100 }).accessKeyId, AKID);
  assert.throws(
    () => verify(signed, creds, { now: T + 1000 }),
    (e) => e.name === 'VerifyError' && e.code === 'ERR_VERIFY_CREDENTIALS_EXPIRED' && !e.message.includes(SECRET),
  );
});

test('rules: presign reports when the URL really stops working', () => {
  const temporary = new Credentials({ accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: 'tok', expiration: T + 600_000 });
  const p = presign({ url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, temporary, { ...OPTS, service: 's3', s3: true, expiresIn: 3600 });
  assert.equal(p.lifetime.urlExpiresAt.getTime(), T + 3_600_000);
  assert.equal(p.lifetime.endsAt.getTime(), T + 600_000);
  assert.equal(p.lifetime.cutShort, true);
  assert.equal(p.lifetime.expiryUnknown, false);

  const unknown = new Credentials({ accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: 'tok' });
  const q = presign({ url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, unknown, { ...OPTS, service: 's3', s3: true, expiresIn: 60 });
  assert.equal(q.lifetime.endsAt.getTime(), T + 60_000);
  assert.deepEqual([q.lifetime.cutShort, q.lifetime.expiryUnknown], [false, true]);

  const lasting = { accessKeyId: AKID, secretAccessKey: SECRET };
  const r = presign({ url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, lasting, { ...OPTS, service: 's3', s3: true });
  assert.equal(r.lifetime.endsAt.getTime(), T + 900_000);
  assert.deepEqual([r.lifetime.cutShort, r.lifetime.expiryUnknown], [false, false]);
});

test('rules: classifyError keeps the canonical request and string to sign S3 echoes', () => {
  const body =
    '<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message>' +
    '<StringToSign>AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc</StringToSign>' +
    '<CanonicalRequest>GET\n/\n\nhost:h\nx-amz-security-token:SECRETTOKEN\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>';
  const c = classifyError({ status: 403, body }, { now: T });
  assert.equal(c.kind, 'signature-mismatch');
  assert.equal(
    c.canonicalRequest,
    'GET\n/\n\nhost:h\nx-amz-security-token:<redacted>\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD',
  );
  assert.equal(c.stringToSign, 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc');
  assert.equal(c.skewChange, null);
  const json = classifyError({ status: 400, body: '{"__type":"InvalidSignatureException"}' }, { now: T });
  assert.deepEqual([json.canonicalRequest, json.stringToSign], [null, null]);
});
