import { ArgumentError, resolveConfig, type SaeConfig } from '@msae/core';

/** One benchmark configuration (issue 4): architecture, sizes and batch. */
export interface BenchConfig {
  name: string;
  description: string;
  config: SaeConfig;
  batch: number;
  /** k of the encoding-throughput measurement (x -> top-k codes). */
  encodeK: number;
}

/**
 * A) msae rw 512 -> 4096; B) topk k=64 512 -> 4096; C) msae rw 768 -> 6144 (the three), and
 * D) topk k=4096 512 -> 4096: A's largest nesting level alone (k = d_sae keeps every positive code), the one-level
 * SAE that does the same sparse work as A's largest level; A/D is the cost of the other six levels. Batch 4096 each.
 */
export function benchConfigs(): BenchConfig[] {
  return [
    {
      name: 'A',
      description: 'msae rw 512->4096',
      config: resolveConfig({ dIn: 512, dSae: 4096, architecture: 'msae', k: 64, weighting: 'rw' }),
      batch: 4096,
      encodeK: 64,
    },
    {
      name: 'B',
      description: 'topk k=64 512->4096',
      config: resolveConfig({ dIn: 512, dSae: 4096, architecture: 'topk', k: 64 }),
      batch: 4096,
      encodeK: 64,
    },
    {
      name: 'C',
      description: 'msae rw 768->6144',
      config: resolveConfig({ dIn: 768, dSae: 6144, architecture: 'msae', k: 64, weighting: 'rw' }),
      batch: 4096,
      encodeK: 64,
    },
    {
      name: 'D',
      description: "topk k=4096 512->4096 (A's largest level alone)",
      config: resolveConfig({ dIn: 512, dSae: 4096, architecture: 'topk', k: 4096 }),
      batch: 4096,
      encodeK: 64,
    },
  ];
}

export const BENCH_CONFIG_NAMES = ['A', 'B', 'C', 'D'] as const;

export function benchConfig(name: string): BenchConfig {
  const c = benchConfigs().find((b) => b.name === name.toUpperCase());
  if (!c) throw new ArgumentError('', `unknown config '${name}' (expected ${BENCH_CONFIG_NAMES.join(', ')})`);
  return c;
}
