import { ownK, type SaeConfig } from '@msae/core';

/**
 * The k the namer keeps per sample when it gathers activation evidence: `--k`, else the architecture's own k
 * from the registry (the k the trainer reports at). Undefined = every positive code (k >= d_sae, e.g. relu).
 */
export function evidenceK(config: SaeConfig, k?: number): number | undefined {
  const chosen = k ?? ownK(config);
  return chosen >= config.dSae ? undefined : chosen;
}
