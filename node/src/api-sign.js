// The signing part of the public API: every entry exports it (the default browser entry exports
// only this, see entry-web.js).
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
import { w } from './wasm.js';

/** The version of the sigfresh core inside this package. */
export function version() {
  return w.version();
}
