// Type declarations for the `sigfresh` npm package (every entry: Node ESM/CommonJS, browsers,
// bundlers). Times are `Date` or epoch milliseconds; every thrown error is a SigfreshError with
// a stable `code`.

/** A moment: a `Date` or epoch milliseconds. */
export type TimeInput = Date | number;

/** Request headers: fetch `Headers`, a `Map`, `[name, value]` pairs, or a plain object. */
export type HeadersInput =
  | { forEach(callback: (value: string, name: string) => void): void; get(name: string): string | null }
  | Map<string, string | number>
  | ReadonlyArray<readonly [string, string | number]>
  | Record<string, string | number | ReadonlyArray<string | number> | undefined>;

/** A request body that can be hashed synchronously. */
export type BodyInput = string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined;

/** A request to sign or verify, described as it is (or will be) sent. */
export interface RequestInput {
  /** HTTP method as sent; default `GET`. */
  method?: string;
  /** Absolute URL (`https://host/path?query`), or an origin-form target with a `host` header. */
  url: string | URL;
  /** Headers in wire order; names in any case; repeated names allowed. */
  headers?: HeadersInput;
  /** The body; a stream (fetch `Request`) cannot be hashed synchronously: use `signRequest`. */
  body?: BodyInput | unknown;
}

/** Credentials as the AWS SDK for JavaScript v3 shapes them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  accountId?: string;
}

/** An AWS SDK for JavaScript v3 credential provider. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** Where credentials came from. */
export type CredentialSourceName =
  | 'static'
  | 'environment'
  | 'profile'
  | 'instance-metadata'
  | 'container'
  | 'process'
  | 'sso'
  | 'sts'
  | 'other';

/** What `new Credentials(...)` accepts. */
export interface CredentialsInit {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: TimeInput;
  accountId?: string;
  source?: Exclude<CredentialSourceName, 'profile' | 'other'>;
}

/** Anything credentials are accepted as. */
export type CredentialsLike = Credentials | CredentialsInit | AwsCredentialIdentity;

/** Credential document formats `Credentials.parse` reads. */
export type DocumentFormat = 'imds' | 'container' | 'process' | 'sso' | 'sts';

/** AWS credentials (immutable; the secret and token are redacted when printed). */
export class Credentials {
  constructor(init: CredentialsInit);
  /** Parses an IMDS, container, `credential_process`, SSO or STS document (format detected). Not in the default browser build (`sigfresh/full` has it). */
  static parse(text: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: { format?: DocumentFormat }): Credentials;
  /** Reads `AWS_ACCESS_KEY_ID` and friends (Node: from `process.env` by default). Not in the default browser build (`sigfresh/full` has it). */
  static fromEnv(env?: Record<string, string | undefined>): Credentials | undefined;
  /** A Credentials from a Credentials or a plain object. */
  static from(value: CredentialsLike): Credentials;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly expiration: Date | undefined;
  readonly accountId: string | undefined;
  readonly source: CredentialSourceName;
  /** The format they were parsed from (`environment` for `fromEnv`). */
  readonly format: DocumentFormat | 'environment' | 'other' | undefined;
  /** The AWS SDK v3 identity object. */
  toAwsIdentity(): AwsCredentialIdentity;
  /** Redacted. */
  toJSON(): Record<string, unknown>;
  toString(): string;
}

/** Payload hash markers (or pass 64 lowercase hex digits). */
export type PayloadMarker =
  | 'UNSIGNED-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
  | 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER';

/** Signing settings. Defaults suit every service but S3; `s3: true` applies the S3 rules. */
export interface SignOptions {
  /** Region, e.g. `us-east-1`. */
  region: string;
  /** Signing name, e.g. `s3`, `execute-api`. */
  service: string;
  /** The S3 rules: single URI encoding, no path normalization, `x-amz-content-sha256` added. */
  s3?: boolean;
  /** `double` (default; every service but S3) or `single` (S3). */
  uriEncoding?: 'double' | 'single';
  /** Remove `.`/`..` and repeated `/` before signing (default true; S3 false). */
  normalizePath?: boolean;
  /** `signed` (default) or `append-after-signing` (IoT-style services). */
  sessionToken?: 'signed' | 'append-after-signing';
  /** Add and sign `x-amz-content-sha256` (default false; S3 true). */
  contentSha256?: boolean;
  /** Sign only these headers (plus `host` and the signer's own). */
  allowHeaders?: readonly string[];
  /** Do not sign these headers (besides the default exclusions). */
  denyHeaders?: readonly string[];
  /** The signing time; default the `clockSkew`-corrected clock, else `Date.now()`. */
  signingDate?: TimeInput;
  /** Corrects the signing time by the learned server offset. */
  clockSkew?: ClockSkew;
  /** A payload marker or precomputed SHA-256 (64 lowercase hex); default: hash `request.body`. */
  payloadHash?: PayloadMarker | string;
  /** Also return the canonical request and the string to sign. */
  stages?: boolean;
}

export interface PresignOptions extends SignOptions {
  /** Lifetime of the URL in seconds, 1..604800 (default 900). */
  expiresIn?: number;
}

/** The result of `sign`. */
export interface SignedRequest {
  /** Headers to set on the request (lowercase names, replacing any of the same name). */
  headers: Record<string, string>;
  /** 64 lowercase hex digits. */
  signature: string;
  /** The `Authorization` header value. */
  authorization: string;
  /** With `options.stages`. */
  canonicalRequest?: string;
  /** With `options.stages`. */
  stringToSign?: string;
}

/** How long a presigned URL really works. */
export interface PresignedLifetime {
  /** When `X-Amz-Expires` runs out: the signing time plus `expiresIn`. */
  urlExpiresAt: Date;
  /**
   * When the URL really stops working: the earlier of `urlExpiresAt` and the credentials'
   * expiration (AWS checks the session token on every use). At or before the signing time when
   * the credentials had already expired.
   */
  endsAt: Date;
  /** The credentials expire before `urlExpiresAt`: the URL dies early, at `endsAt`. */
  cutShort: boolean;
  /** The credentials have a session token but no known expiration: the URL may die earlier. */
  expiryUnknown: boolean;
}

/** The result of `presign`. */
export interface PresignedRequest {
  /** The URL with the `X-Amz-*` query parameters. */
  url: string;
  signature: string;
  /** When the URL stops working, and why. */
  lifetime: PresignedLifetime;
  canonicalRequest?: string;
  stringToSign?: string;
}

/** Signs `request` in headers. */
export function sign(request: RequestInput, credentials: CredentialsLike, options: SignOptions): SignedRequest;
/** Presigns `request` (a URL valid for `expiresIn` seconds). */
export function presign(request: RequestInput, credentials: CredentialsLike, options: PresignOptions): PresignedRequest;
/** Signs a fetch `Request` (reading its body); returns a new, signed `Request`. */
export function signRequest(
  request: Request,
  credentials: CredentialsLike,
  options: PresignOptions & { presign?: boolean },
): Promise<Request>;

export interface VerifyOptions {
  /** The verifier's time; default `Date.now()`. */
  now?: TimeInput;
  s3?: boolean;
  uriEncoding?: 'double' | 'single';
  normalizePath?: boolean;
  /** Allowed distance between signing time and `now` (default 900). */
  maxSkewSeconds?: number;
  sessionToken?: 'signed' | 'append-after-signing';
  /** Payload hash or marker instead of hashing `request.body`. */
  payloadHash?: PayloadMarker | string;
}

export interface Verified {
  accessKeyId: string;
  region: string;
  service: string;
  signedAt: Date;
  /** Presigned URLs only. */
  expiresAt: Date | null;
  signedHeaders: string[];
}

/** Verifies a header-signed or presigned request; throws VerifyError otherwise. Not in the default browser build (`sigfresh/full` has it). */
export function verify(
  request: RequestInput,
  credentials: CredentialsLike | ((accessKeyId: string) => CredentialsLike | undefined | null),
  options?: VerifyOptions,
): Verified;

/** Refresh policy (all durations in milliseconds); omitted settings keep the core's defaults. */
export interface RefreshPolicyOptions {
  /** Refresh this long before expiry (default 300000). */
  refreshWindowMs?: number;
  /** Inside this window callers wait for fresh credentials (default 60000). */
  mandatoryWindowMs?: number;
  /** Jitter, percent of the refresh window (default 20). */
  refreshJitterPercent?: number;
  /** Credentials without expiry are re-read after this long (default 900000). */
  maxAgeWithoutExpiryMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  minRefreshIntervalMs?: number;
  leaseTimeoutMs?: number;
  nonRetryableTtlMs?: number;
  /** IMDS credentials stay usable past expiry while IMDS fails (default true). */
  imdsStaticStability?: boolean;
  staticStabilityIntervalMs?: number;
}

export type RefreshPolicy = Readonly<Required<RefreshPolicyOptions>>;

/** Timers the cache uses (default: the global ones). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: any): void;
}

export interface CacheEvent {
  type:
    | 'installed'
    | 'unchanged'
    | 'failed'
    | 'stale-extended'
    | 'rejected-expired'
    | 'superseded'
    | 'stale';
  /** The next refresh or retry time, when the event has one. */
  at?: Date | null;
  error?: unknown;
  credentials?: Credentials;
}

export interface CredentialCacheOptions {
  policy?: RefreshPolicyOptions;
  /** The clock (default `Date.now`). */
  clock?: () => TimeInput;
  /** Random numbers in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /** Judge expiry by the server's clock. */
  clockSkew?: ClockSkew;
  /** Refresh in the background at the core's next refresh time (an `unref`'d timer). */
  backgroundRefresh?: boolean;
  timers?: Timers;
  /** How to wait `ms` milliseconds (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Observes refreshes, failures and stale use. */
  onEvent?: (event: CacheEvent) => void;
}

/** What a refresh decision says now. */
export interface RefreshDecision {
  kind: 'fresh' | 'refresh-advised' | 'refresh-required' | 'stale-but-usable' | 'expired' | 'missing';
  /** Refresh time (`fresh`) or retry time (`stale-but-usable`). */
  at: Date | null;
  expiresAt: Date | null;
}

/** Keeps credentials from a provider fresh with the core's refresh policy.
 *
 * Browsers: in `sigfresh/full` (the default browser entry is signing only and throws `ERR_NOT_IN_BUILD` here).
 */
export class CredentialCache {
  constructor(provider: () => CredentialsLike | Promise<CredentialsLike>, options?: CredentialCacheOptions);
  /** The policy in effect. */
  readonly policy: RefreshPolicy;
  /** Credentials to sign with now. Rejects with RefreshError `ERR_CREDENTIALS_UNAVAILABLE`. */
  get(): Promise<Credentials>;
  /** Installs credentials without calling the provider. */
  install(credentials: CredentialsLike): { kind: string; at: Date | null };
  /** Drops the cached credentials if they are still `credentials` (default: the last handed out). */
  invalidate(credentials?: CredentialsLike): boolean;
  /** When the next refresh may start; `null` for now. */
  nextRefreshAt(): Date | null;
  decision(): RefreshDecision;
  /** The last provider error, cleared by a success. */
  readonly lastError: unknown;
  /** An AWS SDK v3 credential provider backed by this cache. */
  readonly awsProvider: AwsCredentialIdentityProvider;
  /** Stops the background timer. */
  close(): void;
}

/** An AWS SDK v3 provider with sigfresh's refresh logic. Not in the default browser build (`sigfresh/full` has it). */
export function toAwsCredentialProvider(
  source: CredentialCache | SigfreshCredentialProvider | (() => CredentialsLike | Promise<CredentialsLike>),
  options?: CredentialCacheOptions,
): AwsCredentialIdentityProvider;

/** A fetch-compatible function. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: [string, string][]; body?: ArrayBuffer; redirect: 'manual'; signal?: AbortSignal },
) => Promise<{ status: number; headers: HeadersInput; arrayBuffer(): Promise<ArrayBuffer> }>;

export interface SourceOptions extends CredentialCacheOptions {
  /** The host's fetch (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Environment variables (Node default: `process.env`). */
  env?: Record<string, string | undefined>;
  /** Per-request timeout in milliseconds (IMDS default 1000, container 2000). */
  timeoutMs?: number;
  /** Attempts per request (default 3). */
  maxAttempts?: number;
  /** Reads a file (the container authorization token file; Node default: fs). */
  readFile?: (path: string) => Promise<string | Uint8Array>;
  /** Resolves a host name to IP addresses (Node default: dns.lookup). */
  resolve?: (host: string) => Promise<string[]>;
}

export interface InstanceMetadataOptions extends SourceOptions {
  /** IMDS endpoint URL (default `http://169.254.169.254`, or from the environment). */
  endpoint?: string;
  /** Never fall back to IMDSv1. */
  disableImdsV1?: boolean;
}

/** An AWS SDK v3 provider that also exposes the cache and sigfresh Credentials. */
export interface SigfreshCredentialProvider extends AwsCredentialIdentityProvider {
  readonly cache: CredentialCache;
  credentials(): Promise<Credentials>;
}

/** EC2 instance metadata credentials through `fetch`, with one refresh in flight. */
export function fromInstanceMetadata(options?: InstanceMetadataOptions): SigfreshCredentialProvider;
/** ECS / EKS container endpoint credentials through `fetch`. */
export function fromContainerMetadata(options?: SourceOptions): SigfreshCredentialProvider;

/** What one clock observation did. */
export interface SkewObservation {
  adopted: boolean;
  /** The offset in use afterwards (server − local, ms). */
  offsetMs: number;
  measuredMs: number;
  previousOffsetMs: number;
}

/** The offset between the server's clock and this host's.
 *
 * Browsers: in `sigfresh/full` (the default browser entry is signing only and throws `ERR_NOT_IN_BUILD` here).
 */
export class ClockSkew {
  constructor(options?: { thresholdMs?: number; clock?: () => TimeInput });
  readonly offsetMs: number;
  readonly thresholdMs: number;
  /** The corrected time now, epoch ms. */
  now(): number;
  corrected(local?: TimeInput): Date;
  observe(serverTime: TimeInput, localTime?: TimeInput): SkewObservation;
  observeRoundTrip(serverTime: TimeInput, sentAt: TimeInput, receivedAt: TimeInput): SkewObservation | null;
  observeDateHeader(value: string, localTime?: TimeInput): SkewObservation;
  reset(): void;
}

export type SkewVerdict = 'definite' | 'likely' | 'possible' | 'unlikely' | 'not-skew';

/** Whether an AWS error code/status is explained by clock skew. Not in the default browser build (`sigfresh/full` has it). */
export function isSkewError(code: string | undefined | null, status: number, measuredOffsetMs?: number): SkewVerdict;
/** Parses an HTTP date. Not in the default browser build (`sigfresh/full` has it). */
export function parseHttpDate(value: string): Date;

export type ErrorAction =
  | 'refresh-credentials-and-retry'
  | 'correct-clock-and-retry'
  | 'throttled'
  | 'retry-transient'
  | 'fatal';

export interface Classification {
  action: ErrorAction;
  /** The action when the credentials are rotating temporary ones (IMDS, container, SSO, STS). */
  actionForTemporaryCredentials: ErrorAction;
  kind:
    | 'expired-token'
    | 'credentials-not-recognized'
    | 'clock-skew'
    | 'throttling'
    | 'transient'
    | 'signature-mismatch'
    | 'access-denied'
    | 'other';
  status: number;
  code: string | null;
  message: string | null;
  serverTime: Date | null;
  skewMs: number | null;
  skewVerdict: SkewVerdict;
  /** What the response taught `options.clockSkew`. */
  skewChange: SkewObservation | null;
  /** What went wrong and the fix. */
  explanation: string;
  /**
   * The canonical request AWS computed, when the body echoes it (S3 `SignatureDoesNotMatch`),
   * session token redacted; compare it with `VerifyError.canonicalRequest` or
   * `sign(..., { stages: true }).canonicalRequest`.
   */
  canonicalRequest: string | null;
  /** The string to sign AWS computed, when the body echoes it (S3 `SignatureDoesNotMatch`). */
  stringToSign: string | null;
}

export interface ErrorResponseInput {
  status: number;
  headers?: HeadersInput;
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null;
}

/** Classifies an AWS error response. Not in the default browser build (`sigfresh/full` has it). */
export function classifyError(response: ErrorResponseInput, options?: { clockSkew?: ClockSkew; now?: TimeInput }): Classification;
/** Classifies a fetch `Response` (reads a clone of its body). Not in the default browser build (`sigfresh/full` has it). */
export function classifyResponse(response: Response, options?: { clockSkew?: ClockSkew; now?: TimeInput }): Promise<Classification>;

/** Resolves once the module is usable (Node: at once; browsers: after the wasm loads). */
export const ready: Promise<void>;
/** The sigfresh core version. */
export function version(): string;

/** Every error sigfresh throws. */
export class SigfreshError extends Error {
  constructor(message: string, code: string, details?: Record<string, unknown>);
  /** Stable, never reused. */
  readonly code: string;
  /** The field, header or setting the error is about. */
  readonly field?: string;
  /** A byte offset, index or line the error names. */
  readonly offset?: number;
}
export class InvalidArgumentError extends SigfreshError {}
export class SigningError extends SigfreshError {}
export class VerifyError extends SigfreshError {
  /** Signature mismatch: what the verifier computed. */
  readonly canonicalRequest?: string;
  readonly stringToSign?: string;
}
export class CredentialsError extends SigfreshError {}
export class DocumentError extends SigfreshError {
  readonly awsCode?: string;
}
export class SourceError extends SigfreshError {
  readonly status?: number;
  readonly awsCode?: string;
  readonly failure?: 'retryable' | 'non-retryable' | 'throttled' | 'unavailable';
  readonly retryAfterMs?: number;
}
export class RefreshError extends SigfreshError {
  readonly failure?: string;
  readonly retryAt?: Date;
  /** The code of the provider error that caused it. */
  readonly reason?: string;
}
