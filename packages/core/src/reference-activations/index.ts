import type { ActivationKind } from '../architectures/architecture.js';
import { batchTopKLevels } from './batch-topk.js';
import { batchTopKPrefixLevels } from './batch-topk-prefix.js';
import { jumpReluLevels } from './jumprelu.js';
import { nestedRowTopKLevels } from './nested-row-topk.js';
import type { ReferenceActivation } from './reference-activation.js';
import { reluLevels } from './relu.js';
import { rowTopKLevels } from './row-topk.js';

/** The reference engine's kernel of each training activation kind (an architecture names its kind in the registry). */
export const REFERENCE_ACTIVATIONS: Readonly<Record<ActivationKind, ReferenceActivation>> = {
  relu: reluLevels,
  'row-topk': rowTopKLevels,
  'batch-topk': batchTopKLevels,
  'nested-row-topk': nestedRowTopKLevels,
  'batch-topk-prefix': batchTopKPrefixLevels,
  jumprelu: jumpReluLevels,
};

export type { ReferenceActivation } from './reference-activation.js';
