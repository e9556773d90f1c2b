// Browser and bundler entry `sigfresh/full`: everything a browser can use (the default entry,
// entry-web.js, is signing only). The wasm module is fetched next to this file
// (`new URL('./sigfresh_bg.wasm', import.meta.url)`, which bundlers understand) and instantiated
// asynchronously: `await ready` before calling anything else.
import init from 'sigfresh-glue';
import { feature, markFailed, markReady } from './wasm.js';

export * from './api.js';

/** Resolves once the WebAssembly module is instantiated (rejects if it cannot load). */
export const ready = init({ module_or_path: new URL('./sigfresh_bg.wasm', import.meta.url) }).then(
  () => markReady(),
  (e) => {
    markFailed(e);
    throw e;
  },
);
// An unobserved failure is reported by `check()` on the next call, not as an unhandled rejection.
ready.catch(() => {});

/** Not in browser builds: instance metadata and container endpoints are not reachable there. */
export function fromInstanceMetadata() {
  feature('fromInstanceMetadata', false);
}
/** Not in browser builds. */
export function fromContainerMetadata() {
  feature('fromContainerMetadata', false);
}
