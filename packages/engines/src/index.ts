export * from './engine-names.js';
export * from './create-engine.js';
