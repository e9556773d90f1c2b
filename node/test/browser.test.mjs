// A real browser: headless Chromium (Debian's, driven by playwright-core) loads the web builds
// from a page served on 127.0.0.1 and signs; the results must equal what the Node build gives
// for the same inputs. scripts/test.sh installs `chromium` with apt when it is missing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import * as node from 'sigfresh';
import { NODE_DIR, workload } from './helpers.mjs';

const CHROMIUM = process.env.SIGFRESH_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

// What both sides compute: the same function source runs in Node and in the page.
const SCENARIO = `async (m, wl) => {
  await m.ready;
  const creds = new m.Credentials({ accessKeyId: wl.access_key, secretAccessKey: wl.secret_key, sessionToken: wl.session_token });
  const t = wl.time_epoch * 1000;
  const w1 = m.sign({ method: wl.W1.method, url: wl.W1.url, headers: wl.W1.headers }, creds,
    { region: wl.W1.region, service: wl.W1.service, s3: true, signingDate: t, payloadHash: 'UNSIGNED-PAYLOAD', stages: true });
  const w2 = m.sign({ method: wl.W2.method, url: wl.W2.url, headers: wl.W2.headers, body: new TextEncoder().encode(wl.W2.body) }, creds,
    { region: wl.W2.region, service: wl.W2.service, signingDate: t });
  const w3 = m.presign({ method: wl.W3.method, url: wl.W3.url }, creds,
    { region: wl.W3.region, service: wl.W3.service, s3: true, signingDate: t, expiresIn: wl.W3.expires, payloadHash: 'UNSIGNED-PAYLOAD' });
  // ClockSkew and CredentialCache are in 'sigfresh/full' only (the default entry is signing).
  let skewed, cache;
  if (wl.full) {
    const skew = new m.ClockSkew({ clock: () => t });
    skew.observeDateHeader('Wed, 01 May 2024 12:10:00 GMT');
    skewed = m.sign({ url: 'https://example.amazonaws.com/' }, creds, { region: 'us-east-1', service: 'service', clockSkew: skew }).headers['x-amz-date'];
    let calls = 0;
    const c = new m.CredentialCache(async () => { calls++; return { accessKeyId: 'ASIACACHE', secretAccessKey: 's', expiration: new Date(t + 3600e3) }; }, { clock: () => t });
    const got = await Promise.all([c.get(), c.get(), c.get()]);
    cache = [calls, got.map((x) => x.accessKeyId)];
  }
  let error;
  try { m.sign({ url: 'https://example.amazonaws.com/', headers: { 'x-a': 'a\\nb' } }, creds, { region: 'us-east-1', service: 'service', signingDate: t }); }
  catch (e) { error = { name: e.name, code: e.code, isError: e instanceof Error, isSigfresh: e instanceof m.SigfreshError }; }
  return {
    version: m.version(),
    w1: [w1.canonicalRequest, w1.stringToSign, w1.signature, w1.headers],
    w2: w2.signature,
    w3: w3.url,
    skewed,
    cache,
    error,
  };
}`;

function serve() {
  const root = join(NODE_DIR, 'dist');
  const wl = JSON.stringify(workload());
  const page = (entry) => `<!doctype html><meta charset="utf-8"><script type="module">
    import * as m from './${entry}/index.js';
    const run = ${SCENARIO};
    run(m, { ...${wl}, full: ${entry === 'web-full'} }).then((r) => { window.__result = r; }, (e) => { window.__error = String(e && e.stack || e); });
  </script>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/web.html' || url.pathname === '/web-full.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page(url.pathname.slice(1, -5)));
      return;
    }
    const file = normalize(join(root, url.pathname));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (scripts/test.sh installs Debian's chromium)`;

test('browser: headless Chromium signs with the web builds exactly as Node does', { skip, timeout: 120_000 }, async () => {
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), 'sigfresh-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const wl = workload();
    const wants = {
      web: await eval(`(${SCENARIO})`)(node, { ...wl, full: false }),
      'web-full': await eval(`(${SCENARIO})`)(node, { ...wl, full: true }),
    };
    assert.equal(wants.web.w1[2], wl.W1.signature);
    assert.equal(wants.web.w2, wl.W2.signature);
    assert.equal(wants['web-full'].skewed, '20240501T121000Z');
    assert.deepEqual(wants['web-full'].cache, [1, ['ASIACACHE', 'ASIACACHE', 'ASIACACHE']]);
    for (const entry of ['web', 'web-full']) {
      const want = wants[entry];
      const page = await context.newPage();
      const logs = [];
      page.on('console', (m) => logs.push(m.text()));
      page.on('pageerror', (e) => logs.push(String(e)));
      await page.goto(`http://127.0.0.1:${server.address().port}/${entry}.html`);
      await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 60_000 });
      const error = await page.evaluate(() => window.__error);
      assert.equal(error, undefined, `${entry}: ${error}\n${logs.join('\n')}`);
      const got = await page.evaluate(() => window.__result);
      assert.deepEqual(got, want, `${entry}: the browser result differs from Node's`);
      assert.equal(await page.evaluate(() => navigator.userAgent.includes('Chrome')), true);
      await page.close();
    }
    // The lean build says what it leaves out; the full one has it.
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/web.html`);
    await page.waitForFunction(() => window.__result);
    const port = server.address().port;
    const lean = await page.evaluate(async (p) => {
      const m = await import(`http://127.0.0.1:${p}/web/index.js`);
      const full = await import(`http://127.0.0.1:${p}/web-full/index.js`);
      await full.ready;
      const code = (f) => {
        try {
          f();
        } catch (e) {
          return e.code;
        }
      };
      const c = full.classifyError({ status: 403, body: '<Error><Code>ExpiredToken</Code></Error>' });
      const env = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's' };
      return {
        parse: code(() => m.Credentials.parse('{}')),
        fromEnv: code(() => m.Credentials.fromEnv(env)),
        cache: code(() => new m.CredentialCache(async () => ({}))),
        skew: code(() => new m.ClockSkew()),
        classify: code(() => m.classifyError({ status: 403 })),
        verify: code(() => m.verify({ url: 'https://a.example/' }, {}, {})),
        message: (() => {
          try {
            new m.CredentialCache(async () => ({}));
          } catch (e) {
            return e.message;
          }
        })(),
        fullFromEnv: full.Credentials.fromEnv(env).accessKeyId,
        action: c.action,
      };
    }, port);
    assert.deepEqual(lean, {
      parse: 'ERR_NOT_IN_BUILD',
      fromEnv: 'ERR_NOT_IN_BUILD',
      cache: 'ERR_NOT_IN_BUILD',
      skew: 'ERR_NOT_IN_BUILD',
      classify: 'ERR_NOT_IN_BUILD',
      verify: 'ERR_NOT_IN_BUILD',
      message:
        "CredentialCache is not in this build of sigfresh (the default browser build leaves it out: import 'sigfresh/full')",
      fullFromEnv: 'AKIAENV',
      action: 'refresh-credentials-and-retry',
    });
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
