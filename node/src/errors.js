// Error classes. Every error the package throws is a SigfreshError with a stable `code`; the
// core's errors arrive from wasm as one NUL-packed string (wasm/src/error.rs) and are rebuilt
// here with the core's own message.

/** Base class: every error sigfresh throws. `code` is stable and never reused. */
export class SigfreshError extends Error {
  constructor(message, code, details) {
    super(message, details && details.cause !== undefined ? { cause: details.cause } : undefined);
    this.code = code;
    if (details) {
      for (const k of Object.keys(details)) {
        if (k !== 'cause' && details[k] !== undefined) this[k] = details[k];
      }
    }
  }
}

/** A value passed to sigfresh has the wrong type or is out of range (`ERR_INVALID_ARG_*`, ...). */
export class InvalidArgumentError extends SigfreshError {}
/** The core refused to sign the request (`ERR_INVALID_URI`, `ERR_INVALID_HEADER_VALUE`, ...). */
export class SigningError extends SigfreshError {}
/** A signed request did not verify (`ERR_VERIFY_*`). */
export class VerifyError extends SigfreshError {}
/** Credentials are invalid (`ERR_CREDENTIALS_*`). */
export class CredentialsError extends SigfreshError {}
/** A credential document did not parse (`ERR_DOCUMENT_*`). */
export class DocumentError extends SigfreshError {}
/** A credential source (IMDS, container endpoint) failed (`ERR_SOURCE_*`, `ERR_IMDS_*`, ...). */
export class SourceError extends SigfreshError {}
/** No usable credentials could be had from a cache (`ERR_CREDENTIALS_UNAVAILABLE`, ...). */
export class RefreshError extends SigfreshError {}

// Names are set on the prototypes, not read from the constructors: minifiers rename classes.
for (const [name, C] of Object.entries({
  SigfreshError,
  InvalidArgumentError,
  SigningError,
  VerifyError,
  CredentialsError,
  DocumentError,
  SourceError,
  RefreshError,
})) {
  Object.defineProperty(C.prototype, 'name', { value: name, writable: true, configurable: true });
}

const CLASSES = {
  InvalidArgumentError,
  SigningError,
  VerifyError,
  CredentialsError,
  DocumentError,
  SourceError,
  RefreshError,
};

const num = (s) => (s === '' ? undefined : Number(s));
const str = (s) => (s === '' ? undefined : s);

/** Rebuilds an error packed by wasm/src/error.rs (`ErrorInfo::pack`). */
export function unpackError(packed) {
  const [cls, code, message, field, offset, status, awsCode, failure, retryAfterMs, cr, sts] =
    packed.split('\0');
  const C = CLASSES[cls] || SigfreshError;
  return new C(message, code, {
    field: str(field),
    offset: num(offset),
    status: num(status),
    awsCode: str(awsCode),
    failure: str(failure),
    retryAfterMs: num(retryAfterMs),
    canonicalRequest: str(cr),
    stringToSign: str(sts),
  });
}

/** Turns whatever a wasm call threw into a SigfreshError (or rethrows a JS error as is). */
export function fromWasm(e) {
  if (typeof e === 'string') return unpackError(e);
  if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
    return new SigfreshError(`internal error in the sigfresh core: ${e.message}`, 'ERR_INTERNAL', {
      cause: e,
    });
  }
  return e;
}

export function argError(code, message) {
  return new InvalidArgumentError(message, code);
}

export function typeError(name, expected, value) {
  const t = typeof value;
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `${t === 'object' || t === 'undefined' ? 'an' : 'a'} ${t}`;
  return new InvalidArgumentError(`${name} must be ${expected}, got ${got}`, 'ERR_INVALID_ARG_TYPE');
}
