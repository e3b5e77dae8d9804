import { ConfigError } from './errors.js';

/**
 * Matryoshka nesting list: k0, 2 k0, 4 k0, ... while <= dSae, then dSae appended if missing.
 * e.g. nestingList(64, 4096) = [64, 128, 256, 512, 1024, 2048, 4096]; nestingList(64, 3072) ends 2048, 3072.
 */
export function nestingList(k0: number, dSae: number): number[] {
  if (!Number.isInteger(dSae) || dSae < 1) throw new ConfigError('nesting', `d_sae must be a positive integer, got ${dSae}`);
  if (!Number.isInteger(k0) || k0 < 1) throw new ConfigError('nesting', `k must be a positive integer, got ${k0}`);
  if (k0 > dSae) throw new ConfigError('nesting', `k (${k0}) must be <= d_sae (${dSae})`);
  const out: number[] = [];
  for (let k = k0; k <= dSae; k *= 2) out.push(k); // k_i = k0 * 2^i while k_i <= dSae
  if (out[out.length - 1] !== dSae) out.push(dSae);
  return out;
}
