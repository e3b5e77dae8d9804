// Node entry: the browser entry plus the Node-only parts (LanceDB index, CSV attribute tables).
export * from './browser.js';
// LanceDB stays an optional peer: the curated lists leave out what would put its types in the .d.ts
export {
  LANCE_TABLE,
  buildLanceIndex,
  loadLance,
  openLanceIndex,
  recallAtK,
  type LanceBuildOptions,
  type LanceBuildResult,
  type LanceHit,
  type LanceModules,
  type LanceQueryOptions,
} from './lance-index.js';
export {
  DEFAULT_LANCE_INDEX_TYPE,
  LANCE_INDEX_TYPES,
  annQueryDefaults,
  fromLanceIndexType,
  isLanceIndexType,
  type LanceAnnOptions,
  type LanceAnnQueryOptions,
  type LanceIndexType,
} from './lance-ann.js';
export * from './attribute-table.js';
