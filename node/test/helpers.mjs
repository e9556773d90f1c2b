// Shared by the node --test suites. They import the BUILT package by its name (`sigfresh`
// resolves through package.json "exports" to dist/), never the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(NODE_DIR, '..');
export const SUITE = join(ROOT, 'tests/vectors/sigv4-suite');

/** The Rust reference signer (wasm/examples/oracle.rs), built by scripts/test.sh. */
export function oraclePath() {
  const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
  const p = process.env.SIGFRESH_ORACLE || join(target, 'debug/examples/oracle');
  if (!existsSync(p)) {
    throw new Error(`the Rust oracle is not built at ${p}: run node/scripts/test.sh (or set SIGFRESH_ORACLE)`);
  }
  return p;
}

/** Signs every request with the Rust core directly; one result object per request. */
export function oracle(requests) {
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const r = spawnSync(oraclePath(), { input, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  const lines = r.stdout.toString().trim().split('\n');
  if (lines.length !== requests.length) throw new Error(`oracle answered ${lines.length} of ${requests.length}`);
  return lines.map((l) => JSON.parse(l));
}

/**
 * Parses raw HTTP/1.1 request text as sigfresh::raw_request does (the suite's .req files):
 * the target is between the first and the last space when the line ends in HTTP/x.y; header
 * values are trimmed of spaces and tabs; an obs-fold line joins the previous value with one space.
 */
export function parseRequest(buf) {
  const text = buf.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const headText = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? Buffer.alloc(0) : buf.subarray(split + text.slice(split).match(/^\r?\n\r?\n/)[0].length);
  const lines = Buffer.from(headText, 'latin1').toString('utf8').split(/\r?\n/);
  const first = lines.shift();
  const sp = first.indexOf(' ');
  const last = first.lastIndexOf(' ');
  const method = first.slice(0, sp);
  let target;
  let version;
  if (last > sp && /^HTTP\/\d\.\d$/.test(first.slice(last + 1))) {
    target = first.slice(sp + 1, last);
    version = first.slice(last + 1);
  } else {
    target = first.slice(sp + 1);
  }
  const headers = [];
  for (const line of lines) {
    if (line === '') continue; // a head without a blank line, ending in a newline
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const prev = headers[headers.length - 1];
      prev[1] = `${prev[1]} ${line.replace(/^[ \t]+|[ \t]+$/g, '')}`.replace(/^[ \t]+|[ \t]+$/g, '');
      continue;
    }
    const c = line.indexOf(':');
    headers.push([line.slice(0, c), line.slice(c + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
  }
  return { method, target, version, headers, body };
}

export function readCase(rel, ext) {
  const name = rel.split('/').pop();
  const p = join(SUITE, rel, `${name}.${ext}`);
  return existsSync(p) ? readFileSync(p) : undefined;
}

/** `YYYYMMDDTHHMMSSZ` to epoch milliseconds. */
export function amzDateMs(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export function workload() {
  return JSON.parse(readFileSync(join(ROOT, 'tests/bench/workload.json'), 'utf8'));
}
