import { ConfigError } from '../errors.js';
import { DEFAULT_K } from './architecture.js';

/** The validated k option of an architecture that takes one: the given k, else min(DEFAULT_K, d_sae). */
export function resolveKOption(k: number | undefined, dSae: number): number {
  if (k === undefined) return Math.min(DEFAULT_K, dSae);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ConfigError('config', `k must be a positive integer, got ${String(k)}`);
  if (k > dSae) throw new ConfigError('config', `k (${k}) must be <= d_sae (${dSae})`);
  return k;
}
