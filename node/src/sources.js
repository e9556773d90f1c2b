// fromInstanceMetadata / fromContainerMetadata: drive the core's IMDS and container-endpoint
// state machines with the host's fetch (and, for the container endpoint, its file reader and
// resolver), inside a CredentialCache. The machines decide every request, retry and error.
import { CredentialCache } from './cache.js';
import { wrap } from './credentials.js';
import { bytes, object, optBool, optFunction, optNumber, optString, packEnv, packHeaders, unpackPairs } from './convert.js';
import { SourceError, fromWasm, typeError, unpackError } from './errors.js';
import { readClock } from './skew.js';
import { check, feature, w } from './wasm.js';

const SEND = 1;
const WAIT = 2;
const DONE = 3;
const FAILED = 4;
const READ_FILE = 5;
const RESOLVE = 6;

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** How a failed fetch is reported to the machine: `connect` or `io`. */
function transportKind(err) {
  for (let e = err, i = 0; e && i < 4; e = e.cause, i++) {
    if (typeof e.code === 'string' && CONNECT_CODES.has(e.code)) return 'connect';
  }
  return 'io';
}

function ioKind(err) {
  const code = err && err.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENOTFOUND') return 'not-found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission-denied';
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT') return 'timeout';
  return 'other';
}

const describeError = (err) => String((err && err.message) || err).slice(0, 200);

async function send(machine, host, now) {
  const method = machine.request_method();
  const url = machine.request_url();
  const headers = unpackPairs(machine.request_headers());
  const body = machine.request_body();
  const timeoutMs = machine.request_timeout_ms();
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (controller) controller.abort();
  }, timeoutMs);
  try {
    const res = await host.fetch(url, {
      method,
      headers,
      body: body.length > 0 ? body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) : undefined,
      redirect: 'manual',
      signal: controller && controller.signal,
    });
    const data = new Uint8Array(await res.arrayBuffer());
    clearTimeout(timer);
    if (timedOut) throw new Error('timed out');
    machine.handle_response(now(), res.status, packHeaders(res.headers, 'response headers')[0], data);
  } catch (err) {
    clearTimeout(timer);
    machine.handle_transport_error(now(), timedOut ? 'timeout' : transportKind(err), describeError(err));
  }
}

/** One fetch: start the machine and do what it says until it is done. */
async function drive(machine, host) {
  const now = () => readClock(host.clock);
  machine.start(now(), host.random());
  for (;;) {
    const step = machine.poll(now());
    if (step === SEND) {
      await send(machine, host, now);
    } else if (step === WAIT) {
      await host.sleep(Math.max(0, machine.wait_until() - now()));
    } else if (step === DONE) {
      return wrap(machine.take_credentials());
    } else if (step === FAILED) {
      throw unpackError(machine.error());
    } else if (step === READ_FILE) {
      const path = machine.target();
      if (host.readFile === undefined) {
        machine.handle_file_error(now(), 'other', 'this host cannot read files (pass options.readFile)');
        continue;
      }
      try {
        machine.handle_file(now(), bytes(await host.readFile(path), 'readFile result'));
      } catch (err) {
        machine.handle_file_error(now(), ioKind(err), describeError(err));
      }
    } else if (step === RESOLVE) {
      const name = machine.target();
      if (host.resolve === undefined) {
        machine.handle_resolve_error(now(), 'other', 'this host cannot resolve names (pass options.resolve)');
        continue;
      }
      try {
        const addresses = await host.resolve(name);
        if (!Array.isArray(addresses)) throw typeError('resolve result', 'an array of IP address strings', addresses);
        machine.handle_resolved(now(), addresses.join('\0'));
      } catch (err) {
        machine.handle_resolve_error(now(), ioKind(err), describeError(err));
      }
    } else {
      throw new SourceError('the credential source asked to run a process, which this host does not do', 'ERR_SOURCE_UNSUPPORTED_STEP');
    }
  }
}

function hostOf(options, defaults) {
  const fetchFn = optFunction(options.fetch, 'options.fetch') ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw typeError('options.fetch', 'a fetch function', fetchFn);
  const timers = options.timers ?? globalThis;
  return {
    fetch: fetchFn,
    clock: optFunction(options.clock, 'options.clock') ?? Date.now,
    random: optFunction(options.random, 'options.random') ?? Math.random,
    sleep: optFunction(options.sleep, 'options.sleep') ?? ((ms) => new Promise((r) => timers.setTimeout(r, ms))),
    readFile: optFunction(options.readFile, 'options.readFile') ?? defaults.readFile,
    resolve: optFunction(options.resolve, 'options.resolve') ?? defaults.resolve,
  };
}

function envOf(options, defaults) {
  if (options.env !== undefined) return packEnv(options.env, 'options.env');
  return packEnv(defaults.env, 'process.env');
}

/** A provider function backed by a CredentialCache over `fetchOnce`. */
function provider(fetchOnce, options) {
  const cache = new CredentialCache(fetchOnce, options);
  const p = cache.awsProvider;
  const fn = () => p();
  fn.cache = cache;
  fn.credentials = () => cache.get();
  return fn;
}

/** Machines are created on the first fetch so configuration errors reject the provider. */
function lazyMachine(create) {
  let machine = null;
  return () => {
    if (machine === null) {
      try {
        machine = create();
      } catch (e) {
        throw fromWasm(e);
      }
    }
    return machine;
  };
}

export function makeSources(defaults) {
  /**
   * EC2 instance metadata (IMDSv2 with the AWS fallback rules) through `options.fetch`, cached
   * with the refresh policy. Returns an AWS SDK v3 credential provider with `.cache` (the
   * CredentialCache) and `.credentials()` (a Credentials for `sign`).
   */
  function fromInstanceMetadata(options = {}) {
    check();
    feature('fromInstanceMetadata', typeof w.SourceMachine === 'function');
    object(options, 'options');
    const host = hostOf(options, defaults);
    const env = envOf(options, defaults);
    const endpoint = optString(options.endpoint, 'options.endpoint');
    const v1Disabled = optBool(options.disableImdsV1, 'options.disableImdsV1');
    const timeoutMs = optNumber(options.timeoutMs, 'options.timeoutMs');
    const attempts = optNumber(options.maxAttempts, 'options.maxAttempts');
    const machine = lazyMachine(() => w.SourceMachine.imds(env, endpoint, v1Disabled, timeoutMs, attempts));
    return provider(() => drive(machine(), host), options);
  }

  /**
   * The ECS / EKS Pod Identity container credentials endpoint, configured from
   * `options.env` (Node: `process.env`), through `options.fetch`; cached like
   * `fromInstanceMetadata`.
   */
  function fromContainerMetadata(options = {}) {
    check();
    feature('fromContainerMetadata', typeof w.SourceMachine === 'function');
    object(options, 'options');
    const host = hostOf(options, defaults);
    const env = envOf(options, defaults);
    const timeoutMs = optNumber(options.timeoutMs, 'options.timeoutMs');
    const attempts = optNumber(options.maxAttempts, 'options.maxAttempts');
    const machine = lazyMachine(() => {
      const m = w.SourceMachine.container(env, timeoutMs, attempts);
      if (m === undefined) {
        throw new SourceError(
          'no container credentials endpoint is configured: set AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI',
          'ERR_CONTAINER_NOT_CONFIGURED',
          { failure: 'non-retryable' },
        );
      }
      return m;
    });
    return provider(() => drive(machine(), host), options);
  }

  return { fromInstanceMetadata, fromContainerMetadata };
}
