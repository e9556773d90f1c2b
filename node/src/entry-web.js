// Browser and bundler entry `sigfresh` (the default): signing. `sign`, `presign`, `signRequest`
// and `Credentials` with the smallest wasm module; the rest (`CredentialCache`, `ClockSkew`,
// `Credentials.parse`, `verify`, `classifyError`, ...) is in `sigfresh/full` (entry-web-full.js)
// and throws ERR_NOT_IN_BUILD here, naming it. `await ready` before calling anything else.
import { feature } from './wasm.js';

export * from './api-sign.js';
export { ready } from './web-init.js';
export { fromInstanceMetadata, fromContainerMetadata } from './web-node-only.js';

const inFull = (name) => () => feature(name, false, true);

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
export const toAwsCredentialProvider = inFull('toAwsCredentialProvider');
export const isSkewError = inFull('isSkewError');
export const parseHttpDate = inFull('parseHttpDate');
export const classifyError = inFull('classifyError');
export const classifyResponse = inFull('classifyResponse');
