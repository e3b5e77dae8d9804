export * from './io/index.js';
export * from './models/index.js';
