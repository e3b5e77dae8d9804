import { ownK, type SaeConfig } from '@msae/core';

/** The k values a run reports at: the architecture's own k (from the registry) and every positive code (k = d_sae). */
export function reportKs(config: SaeConfig): number[] {
  const k = ownK(config);
  return k === config.dSae ? [config.dSae] : [k, config.dSae];
}
