import { nestedLevelsPerRow } from '../topk-selection.js';
import type { ReferenceActivation } from './reference-activation.js';

/** nested-row-topk: rank each row descending; level i keeps ranks < k_i (nested prefixes of one ranking). */
export const nestedRowTopKLevels: ReferenceActivation = (config, acts, rows) => nestedLevelsPerRow(acts, rows, config.dSae, config.nesting);
