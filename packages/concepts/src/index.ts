// Node entry: the browser entry's exports plus the Node file loaders (vocabulary .txt embedding and caching,
// shipped vocabulary files read from disk).
export * from './browser.js';
export * from './vocabulary.js';
export * from './shipped-vocabulary-files.js';
