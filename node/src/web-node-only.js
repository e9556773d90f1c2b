// What no browser build has: instance metadata and container endpoints are not reachable from a
// page (the Node entry has the real ones, sources.js).
import { feature } from './wasm.js';

/** Node only. */
export function fromInstanceMetadata() {
  feature('fromInstanceMetadata', false);
}
/** Node only. */
export function fromContainerMetadata() {
  feature('fromContainerMetadata', false);
}
