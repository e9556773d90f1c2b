// The public API, shared by every entry (Node CJS/ESM, browsers, bundlers).
export { Credentials } from './credentials.js';
export { sign, presign, signRequest, verify } from './sign.js';
export { CredentialCache, toAwsCredentialProvider } from './cache.js';
export { ClockSkew, isSkewError, parseHttpDate, classifyError, classifyResponse } from './skew.js';
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
import { w } from './wasm.js';

/** The version of the sigfresh core inside this package. */
export function version() {
  return w.version();
}
