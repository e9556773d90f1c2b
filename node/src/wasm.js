// The wasm-bindgen glue of this build (node or web; the bundler maps `sigfresh-glue` to the
// right one) and whether the module has been instantiated.
import * as glue from 'sigfresh-glue';
import { SigfreshError } from './errors.js';

export const w = glue;

let state = 0;
let failure;

/** Called by the entry once the wasm module is instantiated. */
export function markReady() {
  state = 1;
}

/** Called by the entry when instantiation failed. */
export function markFailed(e) {
  state = 2;
  failure = e;
}

/** Throws unless the wasm module is ready (browsers: await `ready` first). */
export function check() {
  if (state === 1) return;
  if (state === 2) {
    throw new SigfreshError(
      `the sigfresh WebAssembly module failed to load: ${failure && failure.message}`,
      'ERR_WASM_LOAD_FAILED',
      { cause: failure },
    );
  }
  throw new SigfreshError(
    'the sigfresh WebAssembly module is still loading: `await ready` (exported by sigfresh) before calling synchronous functions',
    'ERR_NOT_READY',
  );
}

/** Throws when this build leaves out a feature (the browser builds, see README). */
export function feature(name, present, inFull = false) {
  if (!present) {
    throw new SigfreshError(
      `${name} is not in this build of sigfresh (${
        inFull ? "the default browser build leaves it out: import 'sigfresh/full'" : 'it is only in the Node build'
      })`,
      'ERR_NOT_IN_BUILD',
    );
  }
}
