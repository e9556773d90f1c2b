// Benchmarks W1/W2/W3 (tests/bench/workload.json) through sigfresh's JS API (the built
// package, dist/node) beside @smithy/signature-v4 (with @smithy/hash-node, as the AWS SDK for
// JavaScript v3 uses on Node) and aws4, in one process, interleaved round by round so that load
// on a shared machine hits every signer alike. Every signer is checked against the workload's
// signature before it is timed. Prints medians (µs per signature) and ratios, as Markdown.
//
//   node node/bench/bench.mjs [--rounds 15] [--ms 40]
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Credentials, presign, sign, version } from 'sigfresh';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROUNDS = arg('rounds', 15);
const SAMPLE_MS = arg('ms', 40);

const wl = JSON.parse(readFileSync(new URL('../../tests/bench/workload.json', import.meta.url), 'utf8'));
const T = wl.time_epoch * 1000;
const DATE = new Date(T);
const smithyCreds = { accessKeyId: wl.access_key, secretAccessKey: wl.secret_key, sessionToken: wl.session_token };
const creds = new Credentials(smithyCreds);
const pathOf = (url) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

const W = {};
for (const name of ['W1', 'W2', 'W3']) W[name] = wl[name];

// ---- sigfresh: one call, options and credentials built once (steady state) ----
const sf = {
  W1: (() => {
    const req = { method: W.W1.method, url: W.W1.url, headers: W.W1.headers };
    const o = { region: W.W1.region, service: W.W1.service, s3: true, signingDate: T, payloadHash: 'UNSIGNED-PAYLOAD' };
    return () => sign(req, creds, o).signature;
  })(),
  W2: (() => {
    const req = { method: W.W2.method, url: W.W2.url, headers: W.W2.headers, body: W.W2.body };
    const o = { region: W.W2.region, service: W.W2.service, signingDate: T };
    return () => sign(req, creds, o).signature;
  })(),
  W3: (() => {
    const req = { method: W.W3.method, url: W.W3.url };
    const o = { region: W.W3.region, service: W.W3.service, s3: true, signingDate: T, expiresIn: W.W3.expires, payloadHash: 'UNSIGNED-PAYLOAD' };
    return () => presign(req, creds, o).signature;
  })(),
};

// ---- @smithy/signature-v4: the request object built once; sign() clones it ----
const smithySigner = (w, s3) =>
  new SignatureV4({ credentials: smithyCreds, region: w.region, service: w.service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: !s3, applyChecksum: s3 });
const smithyReq = (w, headers, body) => {
  const u = new URL(w.url);
  return new HttpRequest({
    method: w.method,
    protocol: 'https:',
    hostname: u.hostname,
    path: u.pathname,
    query: Object.fromEntries(u.searchParams),
    headers: { host: u.hostname, ...headers },
    body,
  });
};
const sm = {
  W1: (() => {
    const s = smithySigner(W.W1, true);
    const r = smithyReq(W.W1, W.W1.headers);
    return async () => /Signature=(\w+)/.exec((await s.sign(r, { signingDate: DATE })).headers.authorization)[1];
  })(),
  W2: (() => {
    const s = smithySigner(W.W2, false);
    const r = smithyReq(W.W2, W.W2.headers, W.W2.body);
    return async () => /Signature=(\w+)/.exec((await s.sign(r, { signingDate: DATE })).headers.authorization)[1];
  })(),
  W3: (() => {
    const s = smithySigner(W.W3, true);
    // UNSIGNED-PAYLOAD as S3's presigner gives it: a header neither hoisted nor signed.
    const r = smithyReq(W.W3, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    const keep = new Set(['x-amz-content-sha256']);
    const o = { signingDate: DATE, expiresIn: W.W3.expires, unhoistableHeaders: keep, unsignableHeaders: keep };
    return async () => (await s.presign(r, o)).query['X-Amz-Signature'];
  })(),
};

// ---- aws4: its options object is mutated by sign(), so a fresh one per call ----
const a4 = {
  W1: () =>
    /Signature=(\w+)/.exec(
      aws4.sign(
        {
          method: 'GET',
          host: new URL(W.W1.url).hostname,
          path: pathOf(W.W1.url),
          service: 's3',
          region: W.W1.region,
          headers: { Range: W.W1.headers.range, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'X-Amz-Date': wl.amz_date },
          extraHeadersToInclude: { range: true },
        },
        smithyCreds,
      ).headers.Authorization,
    )[1],
  W2: () =>
    /Signature=(\w+)/.exec(
      aws4.sign(
        {
          method: 'POST',
          host: new URL(W.W2.url).hostname,
          path: pathOf(W.W2.url),
          service: W.W2.service,
          region: W.W2.region,
          headers: { 'Content-Type': W.W2.headers['content-type'], 'X-Amz-Date': wl.amz_date },
          body: W.W2.body,
          // aws4 adds and signs Content-Length; the workload (like every other signer) does not.
          extraHeadersToIgnore: { 'content-length': true },
        },
        smithyCreds,
      ).headers.Authorization,
    )[1],
  W3: () =>
    /X-Amz-Signature=(\w+)/.exec(
      aws4.sign(
        {
          method: 'GET',
          host: new URL(W.W3.url).hostname,
          // aws4 takes the presigning time and lifetime from the query.
          path: `${pathOf(W.W3.url)}&X-Amz-Date=${wl.amz_date}&X-Amz-Expires=${W.W3.expires}`,
          service: 's3',
          region: W.W3.region,
          signQuery: true,
        },
        smithyCreds,
      ).path,
    )[1],
};

const signers = { sigfresh: sf, '@smithy/signature-v4': sm, aws4: a4 };

// Every signer must produce the workload's signature before it is timed.
const checked = {};
for (const [name, set] of Object.entries(signers)) {
  for (const w of ['W1', 'W2', 'W3']) {
    const got = await set[w]();
    checked[`${name} ${w}`] = got === W[w].signature;
    if (got !== W[w].signature) console.error(`warning: ${name} ${w} gives ${got}, not the workload's ${W[w].signature}; not timed`);
  }
}

async function sample(fn, n) {
  const isAsync = fn.constructor.name === 'AsyncFunction';
  const t0 = process.hrtime.bigint();
  if (isAsync) for (let i = 0; i < n; i++) await fn();
  else for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / n / 1000;
}

// Calibrate: iterations per sample so that one takes about SAMPLE_MS.
const iters = {};
for (const [name, set] of Object.entries(signers)) {
  for (const w of ['W1', 'W2', 'W3']) {
    if (!checked[`${name} ${w}`]) continue;
    await sample(set[w], 2000); // warm up (JIT, signing-key caches)
    const us = await sample(set[w], 2000);
    iters[`${name} ${w}`] = Math.max(200, Math.round((SAMPLE_MS * 1000) / us));
  }
}
const samples = Object.fromEntries(Object.keys(iters).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, set] of Object.entries(signers)) {
    for (const w of ['W1', 'W2', 'W3']) {
      const k = `${name} ${w}`;
      if (iters[k]) samples[k].push(await sample(set[w], iters[k]));
    }
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const range = (k) => `${Math.min(...samples[k]).toFixed(2)}–${Math.max(...samples[k]).toFixed(2)}`;
const f = (k) => (med[k] === undefined ? 'n/a' : `${med[k].toFixed(2)} (${range(k)})`);
// The ratio is the median of the per-round ratios: each round times both signers back to back,
// so a load change between rounds does not skew it.
const ratio = (a, b) => {
  if (!samples[a]?.length || !samples[b]?.length) return 'n/a';
  const per = samples[a].map((x, i) => x / samples[b][i]);
  return `${median(per).toFixed(1)}×`;
};

console.log(`sigfresh ${version()} (dist/node, wasm), Node ${process.version}, ${cpus().length} × ${cpus()[0].model}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`${ROUNDS} interleaved rounds of ~${SAMPLE_MS} ms per signer and workload; medians in µs per signature (min–max of the rounds); ratios are medians of per-round ratios\n`);
console.log('| workload | sigfresh (JS API, wasm) | @smithy/signature-v4 + hash-node | aws4 | smithy / sigfresh | aws4 / sigfresh |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const w of ['W1', 'W2', 'W3']) {
  console.log(`| ${w} | ${f(`sigfresh ${w}`)} | ${f(`@smithy/signature-v4 ${w}`)} | ${f(`aws4 ${w}`)} | ${ratio(`@smithy/signature-v4 ${w}`, `sigfresh ${w}`)} | ${ratio(`aws4 ${w}`, `sigfresh ${w}`)} |`);
}
const bad = Object.entries(checked).filter(([, ok]) => !ok).map(([k]) => k);
if (bad.length) console.log(`\nNot timed (wrong signature): ${bad.join(', ')}`);
