// Browser and bundler entry `sigfresh/full`: everything a browser can use (the default entry,
// entry-web.js, is signing only). `await ready` before calling anything else.
export * from './api.js';
export { ready } from './web-init.js';
export { fromInstanceMetadata, fromContainerMetadata } from './web-node-only.js';
