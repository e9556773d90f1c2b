// CredentialCache with a fake clock, a scripted provider and fake timers: assertions on counts
// (provider calls, credentials handed out), never on real time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import {
  ClockSkew,
  CredentialCache,
  Credentials,
  InvalidArgumentError,
  RefreshError,
  toAwsCredentialProvider,
} from 'sigfresh';
import { NODE_DIR } from './helpers.mjs';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A fake clock, timers that only run when told, and a scripted provider. */
function harness(script = {}) {
  const h = {
    now: T0,
    calls: 0,
    n: 0,
    timers: [],
    events: [],
    fail: null,
    lifetime: HOUR,
    source: undefined,
    gate: null,
  };
  h.clock = () => h.now;
  h.provider = async () => {
    h.calls++;
    if (h.gate) await h.gate.promise;
    if (h.fail) throw h.fail;
    h.n++;
    return {
      accessKeyId: `ASIA${String(h.n).padStart(4, '0')}`,
      secretAccessKey: `secret${h.n}`,
      sessionToken: `token${h.n}`,
      expiration: new Date(h.now + h.lifetime),
      ...(h.source ? { source: h.source } : {}),
    };
  };
  h.hold = () => {
    let release;
    const promise = new Promise((r) => (release = r));
    h.gate = { promise, release: () => { h.gate = null; release(); } };
    return h.gate;
  };
  h.fakeTimers = {
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      h.timers.push(t);
      return t;
    },
    clearTimeout: (t) => {
      if (t) t.cleared = true;
    },
  };
  h.cache = new CredentialCache(h.provider, {
    clock: h.clock,
    random: () => 0,
    timers: h.fakeTimers,
    sleep: async (ms) => {
      h.now += ms;
    },
    onEvent: (e) => h.events.push(e.type),
    ...script,
  });
  return h;
}

test('cache: 100 concurrent first callers cause one provider call and get the same credentials', async () => {
  const h = harness();
  const results = await Promise.all(Array.from({ length: 100 }, () => h.cache.get()));
  assert.equal(h.calls, 1);
  assert.ok(results.every((c) => c === results[0]), 'one Credentials object for everyone');
  assert.equal(results[0].accessKeyId, 'ASIA0001');
  assert.deepEqual(h.events, ['installed']);
});

test('cache: fresh credentials are served without calling the provider', async () => {
  const h = harness();
  await h.cache.get();
  for (let i = 0; i < 50; i++) {
    h.now += MIN / 2; // up to 25 minutes later, far from expiry
    assert.equal((await h.cache.get()).accessKeyId, 'ASIA0001');
  }
  assert.equal(h.calls, 1);
  assert.equal(h.cache.decision().kind, 'fresh');
});

test('cache: inside the refresh window one caller refreshes in the background, nobody waits', async () => {
  const h = harness();
  await h.cache.get();
  // With jitter 0 the refresh is due exactly 5 minutes before expiry.
  assert.equal(h.cache.nextRefreshAt().getTime(), T0 + HOUR - 5 * MIN);
  h.now = T0 + HOUR - 5 * MIN;
  const gate = h.hold();
  const during = await Promise.all(Array.from({ length: 50 }, () => h.cache.get()));
  assert.ok(during.every((c) => c.accessKeyId === 'ASIA0001'), 'old credentials while refreshing');
  assert.equal(h.calls, 2, 'exactly one background refresh for 50 callers');
  gate.release();
  await new Promise((r) => setImmediate(r));
  assert.equal((await h.cache.get()).accessKeyId, 'ASIA0002');
  assert.equal(h.calls, 2);
});

test('cache: inside the mandatory window callers wait for the one refresh', async () => {
  const h = harness();
  await h.cache.get();
  h.now = T0 + HOUR - 30_000; // 30 s before expiry: inside the 1-minute mandatory window
  const gate = h.hold();
  const waiting = Array.from({ length: 20 }, () => h.cache.get());
  await new Promise((r) => setImmediate(r));
  assert.equal(h.calls, 2);
  gate.release();
  const got = await Promise.all(waiting);
  assert.ok(got.every((c) => c.accessKeyId === 'ASIA0002'), 'nobody got the expiring credentials');
  assert.equal(h.calls, 2);
});

test('cache: a failed refresh keeps the last good credentials until they expire, then errors with a code', async () => {
  const h = harness();
  await h.cache.get();
  h.fail = Object.assign(new Error('boom'), { code: 'ERR_TEST' });
  h.now = T0 + HOUR - 4 * MIN;
  assert.equal((await h.cache.get()).accessKeyId, 'ASIA0001');
  await new Promise((r) => setImmediate(r));
  assert.equal(h.calls, 2);
  assert.ok(h.events.includes('failed'));
  assert.equal(h.cache.lastError.message, 'boom');
  // Past expiry, with the provider still failing: no expired credentials are handed out.
  h.now = T0 + HOUR + 1;
  await assert.rejects(h.cache.get(), (e) => {
    assert.ok(e instanceof RefreshError);
    assert.equal(e.code, 'ERR_CREDENTIALS_UNAVAILABLE');
    assert.equal(e.failure, 'retryable');
    assert.equal(e.reason, 'ERR_TEST');
    assert.equal(e.cause.message, 'boom');
    assert.ok(e.retryAt instanceof Date && e.retryAt.getTime() > h.now);
    return true;
  });
  const before = h.calls;
  // Within the backoff the provider is not hammered.
  await assert.rejects(h.cache.get());
  await assert.rejects(h.cache.get());
  assert.equal(h.calls, before);
  // After the backoff, one new attempt; a success ends the outage.
  h.fail = null;
  h.now += 5 * MIN;
  assert.equal((await h.cache.get()).accessKeyId, 'ASIA0002');
  assert.equal(h.calls, before + 1);
  assert.equal(h.cache.lastError, null);
});

test('cache: a non-retryable failure is cached for a minute', async () => {
  const h = harness();
  h.fail = Object.assign(new Error('no role'), { failure: 'non-retryable' });
  await assert.rejects(h.cache.get(), (e) => e.failure === 'non-retryable' && e.code === 'ERR_CREDENTIALS_UNAVAILABLE');
  const calls = h.calls;
  h.now += 59_000;
  await assert.rejects(h.cache.get());
  assert.equal(h.calls, calls);
  h.now += 2_000;
  await assert.rejects(h.cache.get());
  assert.equal(h.calls, calls + 1);
});

test('cache: credentials that come back already expired are not installed', async () => {
  const h = harness();
  h.lifetime = -1000;
  await assert.rejects(h.cache.get(), (e) => e.code === 'ERR_CREDENTIALS_UNAVAILABLE' && e.reason === 'ERR_CREDENTIALS_EXPIRED');
  assert.ok(h.events.includes('rejected-expired'));
});

test('cache: IMDS credentials stay usable past expiry while IMDS fails (static stability)', async () => {
  const h = harness();
  h.source = 'instance-metadata';
  await h.cache.get();
  h.fail = new Error('IMDS down');
  h.now = T0 + HOUR + MIN;
  const c = await h.cache.get();
  assert.equal(c.accessKeyId, 'ASIA0001');
  assert.ok(h.events.includes('stale-extended'));
  assert.equal(h.cache.decision().kind, 'stale-but-usable');
  // Non-IMDS credentials never get that treatment (previous test).
});

test('cache: invalidate() after an expired-token error makes the next get() refresh', async () => {
  const h = harness();
  const c1 = await h.cache.get();
  assert.equal(h.cache.invalidate(c1), true);
  assert.equal(h.cache.invalidate(c1), false, 'only the first invalidation drops anything');
  h.now += 31_000; // past the minimum refresh interval
  assert.equal((await h.cache.get()).accessKeyId, 'ASIA0002');
});

test('cache: the background timer is armed at the core next refresh time and refreshes then', async () => {
  const h = harness({ backgroundRefresh: true });
  // Armed at once (nothing cached): prefetch.
  assert.equal(h.timers.length, 1);
  assert.equal(h.timers[0].ms, 0);
  h.timers[0].fired = true;
  h.timers[0].fn();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(h.calls, 1);
  const armed = h.timers.filter((t) => !t.cleared).pop();
  assert.equal(armed.ms, HOUR - 5 * MIN, 'wakes 5 minutes before expiry');
  h.now += armed.ms;
  armed.fired = true;
  armed.fn();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(h.calls, 2);
  assert.equal((await h.cache.get()).accessKeyId, 'ASIA0002');
  assert.ok(h.timers.some((t) => !t.cleared && !t.fired), 'still armed for the next refresh');
  h.cache.close();
  assert.deepEqual(h.timers.filter((t) => !t.cleared && !t.fired), [], 'close() disarms it');
});

test('cache: the background timer never keeps a Node process alive (unref)', () => {
  const script = `
    const { CredentialCache } = require('sigfresh');
    const cache = new CredentialCache(async () => ({ accessKeyId: 'A', secretAccessKey: 'S', expiration: new Date(Date.now() + 3600e3) }), { backgroundRefresh: true });
    cache.get().then((c) => console.log('got', c.accessKeyId, cache.nextRefreshAt() > new Date()));
  `;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { cwd: NODE_DIR, timeout: 20_000, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'got A true');
  assert.ok(Date.now() - started < 15_000, 'the process exited although a refresh timer is armed for ~55 minutes');
});

test('cache: AWS SDK v3 provider shape', async () => {
  const h = harness();
  const id = await h.cache.awsProvider();
  assert.deepEqual(Object.keys(id).sort(), ['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken']);
  assert.equal(id.accessKeyId, 'ASIA0001');
  assert.equal(id.secretAccessKey, 'secret1');
  assert.ok(id.expiration instanceof Date);
  assert.equal(id.expiration.getTime(), T0 + HOUR);
  // Wrapping any SDK-style provider gives the same refresh logic.
  let n = 0;
  const sdkProvider = async () => ({ accessKeyId: `K${++n}`, secretAccessKey: 's', expiration: new Date(Date.now() + HOUR) });
  const p = toAwsCredentialProvider(sdkProvider);
  const [a, b] = await Promise.all([p(), p()]);
  assert.equal(a.accessKeyId, 'K1');
  assert.equal(b.accessKeyId, 'K1');
  assert.equal(n, 1);
  assert.equal(toAwsCredentialProvider(h.cache), h.cache.awsProvider);
});

test('cache: expiry is judged by the skew-corrected clock', async () => {
  const h = harness();
  const skew = new ClockSkew({ clock: h.clock });
  skew.observe(T0 + 10 * MIN, T0); // the server is 10 minutes ahead
  const cache = new CredentialCache(h.provider, { clock: h.clock, random: () => 0, clockSkew: skew, timers: h.fakeTimers });
  await cache.get(); // expire at T0 + 1 h
  h.now = T0 + 46 * MIN; // server time T0 + 56 min: inside the refresh window
  assert.equal(cache.decision().kind, 'refresh-advised');
  assert.equal(h.cache.decision().kind, 'missing');
  h.now = T0 + 50 * MIN; // server time T0 + 60 min: expired by the server's clock
  assert.equal(cache.decision().kind, 'expired');
});

test('cache: policy settings are the core defaults unless given, and validated', () => {
  const h = harness();
  assert.deepEqual(h.cache.policy, {
    refreshWindowMs: 300000,
    mandatoryWindowMs: 60000,
    refreshJitterPercent: 20,
    maxAgeWithoutExpiryMs: 900000,
    backoffInitialMs: 1000,
    backoffMaxMs: 300000,
    minRefreshIntervalMs: 30000,
    leaseTimeoutMs: 30000,
    nonRetryableTtlMs: 60000,
    imdsStaticStability: true,
    staticStabilityIntervalMs: 300000,
  });
  const c = new CredentialCache(h.provider, { policy: { refreshWindowMs: 600000 } });
  assert.equal(c.policy.refreshWindowMs, 600000);
  assert.throws(
    () => new CredentialCache(h.provider, { policy: { mandatoryWindowMs: 10 * MIN } }),
    (e) => e instanceof InvalidArgumentError && e.code === 'ERR_INVALID_POLICY' && /mandatory window/.test(e.message),
  );
  assert.throws(() => new CredentialCache(h.provider, { policy: { leaseTimeoutMs: -1 } }), (e) => e.code === 'ERR_INVALID_ARG_VALUE');
  assert.throws(() => new CredentialCache(h.provider, { policy: { refreshWindow: 1 } }), (e) => e.code === 'ERR_INVALID_ARG_TYPE');
  assert.throws(() => new CredentialCache('nope'), (e) => e.code === 'ERR_INVALID_ARG_TYPE');
});

test('cache: install() and a provider returning a Credentials object', async () => {
  const h = harness();
  const c = new Credentials({ accessKeyId: 'AKIDSTATIC', secretAccessKey: 's' });
  assert.equal(h.cache.install(c).kind, 'installed');
  assert.equal((await h.cache.get()).accessKeyId, 'AKIDSTATIC');
  assert.equal(h.calls, 0);
});
