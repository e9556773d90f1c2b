// Instantiates a browser build's wasm module, fetched next to the entry's bundle
// (`new URL('./sigfresh_bg.wasm', import.meta.url)`, which bundlers understand).
import init from 'sigfresh-glue';
import { markFailed, markReady } from './wasm.js';

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
