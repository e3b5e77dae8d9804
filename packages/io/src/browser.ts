// Browser-safe part of the IO folder: bytes <-> matrices, no Node built-ins.
export * from './io-error.js';
export * from './embedding-file-error.js';
export * from './element-decoding.js';
export * from './npy-header.js';
export * from './paper-memmap.js';
export * from './safetensors-header.js';
export * from './embedding-layout.js';
export * from './layout-rows.js';
export * from './finite-rows.js';
export * from './parse-embeddings.js';
export * from './encode-embeddings.js';
export * from './safetensors-embeddings.js';
