import type { ReferenceActivation } from './reference-activation.js';

/** relu: every code kept (z = a), all at level 0. */
export const reluLevels: ReferenceActivation = (config, _acts, rows) => new Int32Array(rows * config.dSae);
