// Compiled by test/package.test.mjs with `tsc --strict` against dist/index.d.ts: the README's
// uses type-check, and misuse is rejected (@ts-expect-error lines must error).
import {
  ClockSkew,
  CredentialCache,
  Credentials,
  SigfreshError,
  SigningError,
  classifyError,
  fromInstanceMetadata,
  presign,
  ready,
  sign,
  toAwsCredentialProvider,
  verify,
  type AwsCredentialIdentity,
  type Classification,
  type SignedRequest,
} from 'sigfresh';

await ready;
const creds = new Credentials({ accessKeyId: 'AKID', secretAccessKey: 'secret', expiration: new Date() });
const signed: SignedRequest = sign(
  { method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'x-a': '1' } },
  creds,
  { region: 'us-east-1', service: 'execute-api', signingDate: Date.now() },
);
const auth: string = signed.authorization;
const url: string = presign({ url: new URL('https://b.s3.amazonaws.com/k') }, { accessKeyId: 'a', secretAccessKey: 'b' }, { region: 'us-east-1', service: 's3', s3: true, expiresIn: 60 }).url;
const v = verify({ url, headers: signed.headers }, (id: string) => (id === 'a' ? creds : undefined), { now: new Date() });
const when: Date = v.signedAt;
const provider = fromInstanceMetadata({ fetch, timeoutMs: 1000 });
const id: AwsCredentialIdentity = await provider();
const c2: Credentials = await provider.credentials();
const cache = new CredentialCache(async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), { policy: { refreshWindowMs: 600_000 }, backgroundRefresh: true });
const next: Date | null = cache.nextRefreshAt();
const sdk: () => Promise<AwsCredentialIdentity> = toAwsCredentialProvider(cache);
const skew = new ClockSkew();
const cls: Classification = classifyError({ status: 403, body: '<Error/>' }, { clockSkew: skew });
if (cls.action === 'correct-clock-and-retry') skew.observeDateHeader('x');
const awsCanonical: string | null = cls.canonicalRequest;
const awsStringToSign: string | null = cls.stringToSign;
const lifetime = presign({ url: 'https://b.s3.amazonaws.com/k' }, creds, { region: 'us-east-1', service: 's3', s3: true }).lifetime;
const realEnd: Date = lifetime.endsAt;
const urlEnd: Date = lifetime.urlExpiresAt;
const early: boolean = lifetime.cutShort || lifetime.expiryUnknown;
try {
  sign({ url: 'x' }, creds, { region: 'r', service: 's' });
} catch (e) {
  if (e instanceof SigningError) {
    const code: string = e.code;
    const base: SigfreshError = e;
  }
}
// @ts-expect-error region is required
sign({ url: 'x' }, creds, { service: 's' });
// @ts-expect-error signingDate is a Date or a number
sign({ url: 'x' }, creds, { region: 'r', service: 's', signingDate: '2024-01-01' });
// @ts-expect-error uriEncoding is 'double' | 'single'
sign({ url: 'x' }, creds, { region: 'r', service: 's', uriEncoding: 'triple' });
// @ts-expect-error expiration is a Date or number
new Credentials({ accessKeyId: 'a', secretAccessKey: 'b', expiration: '2024' });
export { auth, when, id, c2, next, sdk };
