// Embedding files and checkpoint directories. Browser-safe parsing lives in ./browser.ts (also
// re-exported here); the rest uses node:fs.
export * from './browser.js';
export * from './atomic-write.js';
export * from './fs-error.js';
export * from './embedding-stream.js';
export * from './embedding-files.js';
