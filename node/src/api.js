// The public API, shared by the Node entry and the browser entry `sigfresh/full`.
export * from './api-sign.js';
export { CredentialCache, toAwsCredentialProvider } from './cache.js';
export { ClockSkew, isSkewError, parseHttpDate, classifyError, classifyResponse } from './skew.js';
