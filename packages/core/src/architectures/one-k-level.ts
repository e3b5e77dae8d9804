import type { ArchitectureFields, ArchitectureResolveOptions } from './architecture.js';
import type { SaeConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { resolveKOption } from './k-option.js';

/** Fields of an architecture with one level of k codes (topk, batchtopk): nesting [k], weights [1], uw. */
export function resolveOneKLevel(opts: ArchitectureResolveOptions, dSae: number): ArchitectureFields {
  const k = resolveKOption(opts.k, dSae);
  return { k, nesting: [k], weights: [1], weighting: 'uw', l1: 0 };
}

/** One level, nesting [k]. */
export function validateOneKLevel(c: SaeConfig, context: string): void {
  if (c.nesting.length !== 1) throw new ConfigError(context, `${c.architecture} has exactly one nesting level`);
  if (c.nesting[0] !== c.k) throw new ConfigError(context, `${c.architecture} nesting must be [k]`);
}
