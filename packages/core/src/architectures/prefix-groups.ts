import { ConfigError } from '../errors.js';

/** Default prefix Matryoshka groups as fractions of d_sae: 1/16, 1/16, 1/8, 1/4, 1/2 (prefixes d/16, d/8, d/4, d/2, d). */
export const DEFAULT_GROUP_FRACTIONS = [1 / 16, 1 / 16, 1 / 8, 1 / 4, 1 / 2];

/**
 * Group sizes -> prefix ends. `groups` are latent counts summing to d_sae, or fractions of d_sae summing to 1
 * (every entry < 1; sizes round(f d_sae), the last one takes the rounding remainder). e.g. [0.25, 0.75] at 4096 ->
 * [1024, 4096]; [256, 256, 3584] -> [256, 512, 4096].
 */
export function groupPrefixEnds(groups: readonly number[], dSae: number): number[] {
  if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => !(typeof g === 'number' && g > 0 && Number.isFinite(g)))) {
    throw new ConfigError('config', `groups must be a non-empty list of positive numbers`);
  }
  let sizes: number[];
  if (groups.every((g) => g < 1)) {
    const total = groups.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-6) throw new ConfigError('config', `group fractions must sum to 1, got ${total}`);
    sizes = groups.map((f) => Math.round(f * dSae));
    sizes[sizes.length - 1] = dSae - sizes.slice(0, -1).reduce((a, b) => a + b, 0);
  } else {
    if (!groups.every((g) => Number.isInteger(g))) throw new ConfigError('config', `groups must be all latent counts (integers) or all fractions (< 1)`);
    sizes = groups.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== dSae) throw new ConfigError('config', `group sizes must sum to d_sae (${dSae}), got ${total}`);
  }
  if (sizes.some((s) => s < 1)) throw new ConfigError('config', `every group needs at least one latent (sizes ${sizes.join(', ')})`);
  const ends: number[] = [];
  let end = 0;
  for (const s of sizes) ends.push((end += s)); // prefix end of group g = sum_{h <= g} size_h
  return ends;
}
