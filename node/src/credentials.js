// Credentials: the core's immutable credentials value behind a JS object. Plain objects in the
// AWS SDK shape ({accessKeyId, secretAccessKey, sessionToken, expiration}) are accepted anywhere
// credentials are, and converted once per object (the signing-key cache lives in the value).
import { bytes, object, optMillis, optString, packEnv, reqString } from './convert.js';
import { fromWasm, typeError } from './errors.js';
import { check, feature, w } from './wasm.js';

const HANDLE = Symbol('sigfresh.handle');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Wraps a wasm Credentials handle. */
export function wrap(handle) {
  const c = Object.create(Credentials.prototype);
  c[HANDLE] = handle;
  return c;
}

/** AWS credentials: access key id, secret, optional session token, expiry and account id. */
export class Credentials {
  /**
   * @param {{accessKeyId: string, secretAccessKey: string, sessionToken?: string,
   *   expiration?: Date|number, accountId?: string, source?: string}} init
   */
  constructor(init) {
    check();
    object(init, 'credentials');
    const akid = reqString(init.accessKeyId, 'accessKeyId');
    const secret = reqString(init.secretAccessKey, 'secretAccessKey');
    const token = optString(init.sessionToken, 'sessionToken');
    const exp = optMillis(init.expiration ?? undefined, 'expiration');
    const account = optString(init.accountId, 'accountId');
    const source = optString(init.source, 'source');
    try {
      this[HANDLE] = new w.Credentials(akid, secret, token, exp, account, source);
    } catch (e) {
      throw fromWasm(e);
    }
  }

  /**
   * Parses a credential document: IMDS or container-endpoint JSON, `credential_process`
   * output, an SSO `GetRoleCredentials` response or an STS XML response. The format is
   * detected unless `options.format` names it.
   */
  static parse(text, options) {
    check();
    feature('Credentials.parse', typeof w.Credentials.parse === 'function', true);
    const format = options === undefined ? undefined : optString(object(options, 'options').format, 'options.format');
    try {
      return wrap(w.Credentials.parse(bytes(text, 'text'), format));
    } catch (e) {
      throw fromWasm(e);
    }
  }

  /**
   * Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
   * `AWS_CREDENTIAL_EXPIRATION` and `AWS_ACCOUNT_ID` from `env` (Node: `process.env` by
   * default). `undefined` when neither key variable is set.
   */
  static fromEnv(env) {
    check();
    feature('Credentials.fromEnv', typeof w.Credentials.from_env === 'function', true);
    if (env === undefined && typeof process !== 'undefined' && process.env) env = process.env;
    try {
      const h = w.Credentials.from_env(packEnv(env, 'env'));
      return h === undefined ? undefined : wrap(h);
    } catch (e) {
      throw fromWasm(e);
    }
  }

  /** A Credentials from a Credentials or an AWS SDK–shaped plain object. */
  static from(value) {
    if (value instanceof Credentials) return value;
    return new Credentials(value);
  }

  get accessKeyId() {
    return this[HANDLE].access_key_id;
  }
  /** The secret. Hand it only to code that needs it (e.g. the AWS SDK adapter). */
  get secretAccessKey() {
    return this[HANDLE].secret_access_key;
  }
  get sessionToken() {
    return this[HANDLE].session_token;
  }
  /** When they expire, or `undefined`. */
  get expiration() {
    const ms = this[HANDLE].expiry_ms;
    return ms === undefined ? undefined : new Date(ms);
  }
  get accountId() {
    return this[HANDLE].account_id;
  }
  /** `static`, `environment`, `instance-metadata`, `container`, `process`, `sso` or `sts`. */
  get source() {
    return this[HANDLE].source;
  }
  /** The document format they were parsed from, if parsed. */
  get format() {
    return this[HANDLE].format;
  }

  /** The AWS SDK for JavaScript v3 identity shape. */
  toAwsIdentity() {
    const h = this[HANDLE];
    const out = {
      accessKeyId: h.access_key_id,
      secretAccessKey: h.secret_access_key,
    };
    const token = h.session_token;
    if (token !== undefined) out.sessionToken = token;
    const ms = h.expiry_ms;
    if (ms !== undefined) out.expiration = new Date(ms);
    const account = h.account_id;
    if (account !== undefined) out.accountId = account;
    return out;
  }

  /** A redacted description (no secret, no token). */
  toJSON() {
    return {
      accessKeyId: this.accessKeyId,
      secretAccessKey: '** redacted **',
      sessionToken: this.sessionToken === undefined ? undefined : '** redacted **',
      expiration: this.expiration,
      accountId: this.accountId,
      source: this.source,
    };
  }
  toString() {
    return `Credentials(${this.accessKeyId}, source ${this.source})`;
  }
  [INSPECT]() {
    return `Credentials ${JSON.stringify(this.toJSON())}`;
  }
}

const converted = new WeakMap();

/** The wasm handle for credentials given as a Credentials or a plain object. */
export function handleOf(value, name = 'credentials') {
  if (value instanceof Credentials) return value[HANDLE];
  if (value === null || typeof value !== 'object') throw typeError(name, 'a Credentials or an object with accessKeyId and secretAccessKey', value);
  const hit = converted.get(value);
  const exp = value.expiration;
  if (
    hit !== undefined &&
    hit.a === value.accessKeyId &&
    hit.s === value.secretAccessKey &&
    hit.t === value.sessionToken &&
    hit.e === (exp instanceof Date ? exp.getTime() : exp)
  ) {
    return hit.h;
  }
  const h = new Credentials(value)[HANDLE];
  converted.set(value, {
    a: value.accessKeyId,
    s: value.secretAccessKey,
    t: value.sessionToken,
    e: exp instanceof Date ? exp.getTime() : exp,
    h,
  });
  return h;
}

export { HANDLE };
