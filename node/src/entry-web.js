// Browser and bundler entry `sigfresh` (the default): signing. `sign`, `presign`, `signRequest`
// and `Credentials` with the smallest wasm module; the rest (`CredentialCache`, `ClockSkew`,
// `Credentials.parse`, `verify`, `classifyError`, ...) is in `sigfresh/full` (entry-web-full.js)
// and throws ERR_NOT_IN_BUILD here, naming it. The wasm module is fetched next to this file
// (`new URL('./sigfresh_bg.wasm', import.meta.url)`, which bundlers understand) and
// instantiated asynchronously: `await ready` before calling anything else.
import init from 'sigfresh-glue';
import { feature, markFailed, markReady, w } from './wasm.js';

export { Credentials } from './credentials.js';
export { sign, presign, signRequest, verify } from './sign.js';
export {
  SigfreshError,
  InvalidArgumentError,
  SigningError,
  VerifyError,
  CredentialsError,
  DocumentError,
  SourceError,
  RefreshError,
} from './errors.js';

/** The version of the sigfresh core inside this package. */
export function version() {
  return w.version();
}

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

const full = (name) => () => feature(name, false, true);

/** In `sigfresh/full`. */
export class CredentialCache {
  constructor() {
    feature('CredentialCache', false, true);
  }
}
/** In `sigfresh/full`. */
export class ClockSkew {
  constructor() {
    feature('ClockSkew', false, true);
  }
}
export const toAwsCredentialProvider = full('toAwsCredentialProvider');
export const isSkewError = full('isSkewError');
export const parseHttpDate = full('parseHttpDate');
export const classifyError = full('classifyError');
export const classifyResponse = full('classifyResponse');

/** Not in browser builds: instance metadata and container endpoints are not reachable there. */
export function fromInstanceMetadata() {
  feature('fromInstanceMetadata', false);
}
/** Not in browser builds. */
export function fromContainerMetadata() {
  feature('fromContainerMetadata', false);
}
