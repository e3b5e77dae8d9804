import type { ActivationKind } from '@msae/core';
import { batchTopKSelection } from './batch-topk.js';
import { batchTopKPrefixSelection } from './batch-topk-prefix.js';
import { jumpReluSelection } from './jumprelu.js';
import { nestedRowTopKSelection } from './nested-row-topk.js';
import { reluSelection } from './relu.js';
import { rowTopKSelection } from './row-topk.js';
import type { TfjsActivation } from './tfjs-activation.js';

/** The tfjs kernel of each training activation kind (an architecture names its kind in @msae/core's registry). */
export const TFJS_ACTIVATIONS: Readonly<Record<ActivationKind, TfjsActivation>> = {
  relu: reluSelection,
  'row-topk': rowTopKSelection,
  'batch-topk': batchTopKSelection,
  'nested-row-topk': nestedRowTopKSelection,
  'batch-topk-prefix': batchTopKPrefixSelection,
  jumprelu: jumpReluSelection,
};
