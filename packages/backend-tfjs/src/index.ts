export { createTfjsEngine, type TfjsEngineOptions } from './tfjs-engine.js';
export {
  activateBackend,
  defaultTfjsBackend,
  importTfjsNode,
  TFJS_BACKENDS,
  TFJS_NODE_MISSING,
  type TfjsBackendName,
  type TfjsBackendOptions,
} from './backend-loader.js';
