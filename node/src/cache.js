// CredentialCache: the core's refresh engine driven by JavaScript. The core decides (who
// refreshes, when, how long to back off, when credentials may no longer be used); this file
// reads the clock and the random jitter, runs the provider, and awaits.
import { Credentials, HANDLE, wrap } from './credentials.js';
import { object, optBool, optFunction, optNumber } from './convert.js';
import { RefreshError, fromWasm, typeError } from './errors.js';
import { ClockSkew, readClock } from './skew.js';
import { check, w } from './wasm.js';

const USE = 1;
const REFRESH = 2;
const WAIT = 3;
const HAS_LEASE = 16;
const NEW_CREDENTIALS = 32;
const STALE = 64;
const MAX_TIMER_MS = 2147483647;
const FAILURES = ['retryable', 'non-retryable', 'throttled', 'unavailable'];
const POLICY_KEYS = [
  'refreshWindowMs',
  'mandatoryWindowMs',
  'refreshJitterPercent',
  'maxAgeWithoutExpiryMs',
  'backoffInitialMs',
  'backoffMaxMs',
  'minRefreshIntervalMs',
  'leaseTimeoutMs',
  'nonRetryableTtlMs',
  'imdsStaticStability',
  'staticStabilityIntervalMs',
];

function buildPolicy(p) {
  if (p === undefined) p = {};
  object(p, 'options.policy');
  for (const k of Object.keys(p)) {
    if (!POLICY_KEYS.includes(k)) throw typeError(`options.policy.${k}`, `one of the settings ${POLICY_KEYS.join(', ')}`, p[k]);
  }
  const n = (k) => optNumber(p[k], `options.policy.${k}`);
  try {
    return new w.RefreshPolicy(
      n('refreshWindowMs'),
      n('mandatoryWindowMs'),
      n('refreshJitterPercent'),
      n('maxAgeWithoutExpiryMs'),
      n('backoffInitialMs'),
      n('backoffMaxMs'),
      n('minRefreshIntervalMs'),
      n('leaseTimeoutMs'),
      n('nonRetryableTtlMs'),
      optBool(p.imdsStaticStability, 'options.policy.imdsStaticStability'),
      n('staticStabilityIntervalMs'),
    );
  } catch (e) {
    throw fromWasm(e);
  }
}

function describe(policy) {
  const parts = policy.describe().split('\0');
  const out = {};
  for (let i = 0; i + 1 < parts.length; i += 2) {
    out[parts[i]] = parts[i] === 'imdsStaticStability' ? parts[i + 1] === '1' : Number(parts[i + 1]);
  }
  return Object.freeze(out);
}

/** How a provider error paces the next attempt: its `failure` property, else retryable. */
function failureOf(err) {
  const f = err !== null && typeof err === 'object' ? err.failure : undefined;
  return FAILURES.includes(f) ? f : 'retryable';
}

function retryAfterOf(err) {
  const r = err !== null && typeof err === 'object' ? err.retryAfterMs : undefined;
  return typeof r === 'number' && Number.isFinite(r) && r >= 0 ? Math.floor(r) : undefined;
}

const date = (s) => (s === undefined || s === '' ? null : new Date(Number(s)));

/**
 * Keeps credentials from `provider` fresh with the core's refresh policy: refreshes ahead of
 * expiry (one caller in the background), makes callers wait inside the mandatory window, backs
 * off after failures and keeps the last good credentials meanwhile. However many callers await
 * `get()` at once, one refresh is in flight.
 */
export class CredentialCache {
  #core;
  #provider;
  #clock;
  #random;
  #skew;
  #timers;
  #sleep;
  #onEvent;
  #current = null;
  #inflight = null;
  #lastError = null;
  #timer = null;
  #timerAt = NaN;
  #background = false;
  #awsProvider = null;

  /**
   * @param {() => unknown} provider returns credentials (a Credentials or an AWS SDK–shaped
   *   object), or a promise of them; a thrown error's `failure` property (`retryable`,
   *   `non-retryable`, `throttled`, `unavailable`) sets the backoff.
   * @param {object} [options]
   */
  constructor(provider, options = {}) {
    check();
    if (typeof provider !== 'function') throw typeError('provider', 'a function returning credentials', provider);
    object(options, 'options');
    const policy = buildPolicy(options.policy);
    this.#core = new w.CredentialCache(policy);
    /** The policy in effect (milliseconds), frozen. */
    this.policy = describe(policy);
    policy.free();
    this.#provider = provider;
    this.#clock = optFunction(options.clock, 'options.clock') ?? Date.now;
    this.#random = optFunction(options.random, 'options.random') ?? Math.random;
    if (options.clockSkew !== undefined && !(options.clockSkew instanceof ClockSkew)) {
      throw typeError('options.clockSkew', 'a ClockSkew', options.clockSkew);
    }
    this.#skew = options.clockSkew;
    const timers = options.timers ?? globalThis;
    if (typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function') {
      throw typeError('options.timers', 'an object with setTimeout and clearTimeout', timers);
    }
    this.#timers = timers;
    this.#sleep =
      optFunction(options.sleep, 'options.sleep') ?? ((ms) => new Promise((r) => timers.setTimeout(r, ms)));
    this.#onEvent = optFunction(options.onEvent, 'options.onEvent');
    if (optBool(options.backgroundRefresh, 'options.backgroundRefresh')) {
      this.#background = true;
      this.#arm();
    }
  }

  /** The skew-corrected time the core judges expiry by. */
  #now() {
    const local = readClock(this.#clock);
    return this.#skew === undefined ? local : this.#skew.corrected(local).getTime();
  }

  #emit(event) {
    if (this.#onEvent === undefined) return;
    try {
      this.#onEvent(event);
    } catch {
      // A listener's error must not break refreshing.
    }
  }

  /** Credentials to sign with now (waits for a refresh only when the core says so). */
  async get() {
    for (;;) {
      const now = this.#now();
      let bits;
      try {
        bits = this.#core.get(now);
      } catch (e) {
        throw fromWasm(e);
      }
      const kind = bits & 15;
      if (kind === USE) {
        if (bits & NEW_CREDENTIALS) this.#current = wrap(this.#core.take_credentials());
        const creds = this.#current;
        if (bits & HAS_LEASE) this.#start(this.#core.take_lease());
        if (bits & STALE) this.#emit({ type: 'stale', credentials: creds });
        this.#arm();
        return creds;
      }
      if (kind === REFRESH) {
        await this.#start(this.#core.take_lease());
      } else if (kind === WAIT) {
        const until = this.#core.at;
        if (this.#inflight !== null) await this.#inflight;
        else await this.#sleep(Math.max(0, until - now));
      } else {
        const failure = this.#core.failure;
        const retryAt = new Date(this.#core.at);
        const cause = this.#lastError;
        throw new RefreshError(
          `no usable credentials: the last refresh failed (${failure}); the next attempt is allowed at ${retryAt.toISOString()}` +
            (cause && cause.message ? `: ${cause.message}` : ''),
          'ERR_CREDENTIALS_UNAVAILABLE',
          { cause: cause ?? undefined, failure, retryAt, reason: cause && cause.code },
        );
      }
    }
  }

  /** Runs the provider for `lease` and completes it; never rejects. */
  #start(lease) {
    const run = async () => {
      let creds;
      let err;
      try {
        creds = Credentials.from(await this.#provider());
      } catch (e) {
        err = e;
      }
      let done;
      try {
        done =
          err === undefined
            ? this.#core.complete_success(lease, creds[HANDLE], this.#now(), this.#random())
            : this.#core.complete_failure(lease, failureOf(err), retryAfterOf(err), this.#now(), this.#random());
      } catch (e) {
        // The clock or random source returned garbage: give the lease back.
        err = err ?? fromWasm(e);
        try {
          this.#core.release(lease);
        } catch {
          // Already completed.
        }
        done = 'failed\0';
      }
      const [kind, at] = done.split('\0');
      if (kind === 'rejected-expired') {
        err = new RefreshError('the provider returned credentials that had already expired', 'ERR_CREDENTIALS_EXPIRED');
      }
      if (err !== undefined) this.#lastError = err;
      else if (kind === 'installed' || kind === 'unchanged') this.#lastError = null;
      this.#emit({ type: kind, at: date(at), error: err, credentials: creds });
      this.#arm();
    };
    const p = run();
    this.#inflight = p;
    p.then(() => {
      if (this.#inflight === p) this.#inflight = null;
    });
    return p;
  }

  /** (Re)arms the background timer at the core's next refresh time. */
  #arm() {
    if (!this.#background) return;
    const next = this.#core.next_refresh_at();
    const at = next === undefined ? this.#now() : next;
    if (this.#timer !== null && at === this.#timerAt) return;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.#now()));
    this.#timerAt = at;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#timerAt = NaN;
      this.get().then(
        () => this.#arm(),
        () => this.#arm(),
      );
    }, delay);
    if (this.#timer && typeof this.#timer.unref === 'function') this.#timer.unref();
  }

  /** Stops the background refresh timer (the cache keeps working on demand). */
  close() {
    this.#background = false;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Installs credentials without asking the provider (e.g. ones read at start-up). */
  install(credentials) {
    const creds = Credentials.from(credentials);
    const [kind, at] = this.#core.install(creds[HANDLE], this.#now(), this.#random()).split('\0');
    this.#arm();
    return { kind, at: date(at) };
  }

  /**
   * After AWS rejected a request as signed with expired credentials (`classifyError` says
   * `refresh-credentials-and-retry`): drops the cached credentials if they are still
   * `credentials` (default: the last ones handed out), so the next `get()` refreshes.
   */
  invalidate(credentials) {
    const c = credentials === undefined ? this.#current : Credentials.from(credentials);
    if (c === null) return false;
    return this.#core.invalidate_if_current(c[HANDLE]);
  }

  /** When the next refresh may start (the background timer's wake-up), `null` for now. */
  nextRefreshAt() {
    const at = this.#core.next_refresh_at();
    return at === undefined ? null : new Date(at);
  }

  /** The core's decision for the cached credentials now. */
  decision() {
    const [kind, at, expiresAt] = this.#core.decision(this.#now()).split('\0');
    return { kind, at: date(at), expiresAt: date(expiresAt) };
  }

  /** The last provider error, cleared by a success. */
  get lastError() {
    return this.#lastError;
  }

  /** An AWS SDK for JavaScript v3 credential provider backed by this cache. */
  get awsProvider() {
    if (this.#awsProvider === null) this.#awsProvider = () => this.get().then((c) => c.toAwsIdentity());
    return this.#awsProvider;
  }
}

/**
 * An AWS SDK for JavaScript v3 credential provider (`() => Promise<{accessKeyId,
 * secretAccessKey, sessionToken, expiration}>`) with sigfresh's refresh logic: from a
 * CredentialCache, a sigfresh provider (`fromInstanceMetadata`...), or any function returning
 * credentials (e.g. an SDK provider such as `fromIni()`), which is then cached.
 */
export function toAwsCredentialProvider(source, options) {
  if (source instanceof CredentialCache) return source.awsProvider;
  if (typeof source === 'function' && source.cache instanceof CredentialCache) return source.cache.awsProvider;
  return new CredentialCache(source, options).awsProvider;
}
