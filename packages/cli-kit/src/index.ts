// The msae CLIs' shared layer (private): option parsers, progress, tables, one-line errors.
export * from './cli-errors.js';
export * from './option-parsers.js';
export * from './program.js';
export * from './progress.js';
export * from './run-cli.js';
export * from './table.js';
export * from './eval-record-columns.js';
