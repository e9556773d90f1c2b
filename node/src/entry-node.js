// Node entry (bundled to dist/node/index.cjs; dist/node/index.mjs re-exports it): the wasm
// module is read from disk and instantiated synchronously at load, so every function works at
// once and `ready` is already resolved.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { initSync } from 'sigfresh-glue';
import { makeSources } from './sources.js';
import { markReady } from './wasm.js';

// `__dirname` is dist/node in the CommonJS bundle.
initSync({ module: readFileSync(join(__dirname, 'sigfresh.wasm')) });
markReady();

export * from './api.js';

/** Resolved: in Node the module is ready as soon as it is loaded. */
export const ready = Promise.resolve();

export const { fromInstanceMetadata, fromContainerMetadata } = makeSources({
  get env() {
    return process.env;
  },
  readFile: (path) => readFile(path),
  resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
});
