export * from './config.js';
export * from './engine.js';
export * from './matrix.js';
