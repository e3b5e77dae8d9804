// Embedding files and checkpoint directories (Node). The browser-safe part (bytes <-> matrices, no
// Node built-ins) is ./browser.ts, re-exported here.
export * from './browser.js';
export { writeFileAtomic, writeFilesAtomic } from './atomic-write.js';
export * from './output-path.js';
export * from './embedding-stream.js';
export * from './sharded-stream.js';
export { resolveShardPaths } from './shard-paths.js';
export * from './embedding-files.js';
export * from './checkpoint-dir.js';
export * from './checkpoint-formats/index.js';
export { fileError } from './fs-error.js';
