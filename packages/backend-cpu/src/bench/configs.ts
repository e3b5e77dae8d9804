import { resolveConfig, type SaeConfig } from '@msae/core';

/** One benchmark configuration (issue 4): architecture, sizes and batch. */
export interface BenchConfig {
  name: string;
  description: string;
  config: SaeConfig;
  batch: number;
  /** k of the encoding-throughput measurement (x -> top-k codes). */
  encodeK: number;
}

/** A) msae rw 512 -> 4096; B) topk k=64 512 -> 4096; C) msae rw 768 -> 6144; batch 4096 each. */
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
  ];
}

export function benchConfig(name: string): BenchConfig {
  const c = benchConfigs().find((b) => b.name === name.toUpperCase());
  if (!c) throw new Error(`unknown config '${name}' (expected A, B or C)`);
  return c;
}
