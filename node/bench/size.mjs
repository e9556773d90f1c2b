// Size of what each entry loads: the .wasm and the JS (the browser bundles are shipped minified;
// the Node bundle is minified here with esbuild for the comparison), raw and gzipped (level 9).
//
//   node node/bench/size.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const esbuild = new URL('../node_modules/.bin/esbuild', import.meta.url).pathname;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const rows = [
  ['browser `sigfresh` (dist/web)', 'web/sigfresh_bg.wasm', 'web/index.js', false],
  ["browser `sigfresh/full` (dist/web-full)", 'web-full/sigfresh_bg.wasm', 'web-full/index.js', false],
  ['Node (dist/node)', 'node/sigfresh.wasm', 'node/index.cjs', true],
];
console.log('| entry | .wasm raw | .wasm gzip | JS min | JS min+gzip | total gzip |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, wasm, js, minify] of rows) {
  const w = readFileSync(join(dist, wasm));
  const j = minify ? execFileSync(esbuild, [join(dist, js), '--minify', '--log-level=error']) : readFileSync(join(dist, js));
  console.log(`| ${name} | ${kb(w.length)} | ${kb(gz(w))} | ${kb(j.length)} | ${kb(gz(j))} | **${kb(gz(w) + gz(j))}** |`);
}
