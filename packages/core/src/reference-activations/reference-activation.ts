import type { SaeConfig } from '../config.js';

/**
 * One training activation of the reference engine: from a = ReLU(pre) [rows, dSae] (and jumprelu's theta), the first
 * nesting level that keeps each entry (level[b, j]; nesting.length when no level keeps it). See ReferenceForward.level.
 */
export type ReferenceActivation = (config: SaeConfig, acts: Float64Array, rows: number, theta: Float64Array | null) => Int32Array;
