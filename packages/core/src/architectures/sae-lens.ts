/** The SAELens side of the registry: what a cfg.json says in SAELens' keys, and back. */
import type { SaeConfig } from '../config.js';
import type { ArchitectureDefinition } from './architecture.js';
import { architectures, getArchitecture, type Architecture } from './registry.js';
import { UnknownArchitectureError } from './unknown-architecture-error.js';

/** The SAELens keys msae writes for a config (both the v6 and the pre-v6 spellings). */
export interface SaeLensCfgKeys {
  architecture: string;
  /** v6 */
  activation_fn: 'relu' | 'topk' | 'jumprelu';
  /** pre-v6 */
  activation_fn_str: 'relu' | 'topk' | 'jumprelu';
  activation_fn_kwargs: Record<string, number>;
  /** v6 TopK k (absent for relu). */
  k?: number;
}

/** SAELens cfg keys of a config: relu -> standard/relu; topk, batchtopk and msae -> topk at the own k. */
export function saeLensCfgKeys(config: SaeConfig): SaeLensCfgKeys {
  const def = getArchitecture(config.architecture);
  const { architecture, activationFn, hasK } = def.saeLens;
  const k = def.ownK(config);
  return {
    architecture,
    activation_fn: activationFn,
    activation_fn_str: activationFn,
    activation_fn_kwargs: hasK ? { k } : {},
    ...(hasK ? { k } : {}),
  };
}

/** What a SAELens cfg says about the architecture. */
export interface SaeLensArchitecture {
  architecture: Architecture;
  definition: ArchitectureDefinition;
  /** k from `k` (v6) or `activation_fn_kwargs.k` (pre-v6); undefined when the cfg has none. Not validated. */
  k: unknown;
}

/**
 * The msae architecture of a SAELens cfg.json object (v6 `architecture` + `activation_fn`, or pre-v6
 * `activation_fn_str` + `activation_fn_kwargs`; SAELens' own defaults `standard` and `relu` when absent).
 * UnknownArchitectureError names the SAELens pair when no registered architecture reads it (e.g. gated, jumprelu).
 */
export function architectureFromSaeLens(cfg: Record<string, unknown>, context?: string): SaeLensArchitecture {
  const arch = typeof cfg.architecture === 'string' ? cfg.architecture : 'standard';
  const fnRaw = cfg.activation_fn ?? cfg.activation_fn_str;
  const fn = typeof fnRaw === 'string' ? fnRaw : 'relu';
  for (const definition of architectures()) {
    const hit = definition.saeLens.reads.some((p) => p.architecture === arch && (p.activationFn === undefined || p.activationFn === fn));
    if (!hit) continue;
    const kwargs = cfg.activation_fn_kwargs;
    const k = cfg.k ?? (kwargs !== null && typeof kwargs === 'object' ? (kwargs as Record<string, unknown>).k : undefined);
    return { architecture: definition.name, definition, k };
  }
  const known = architectures().flatMap((d) => d.saeLens.reads.map((p) => (p.activationFn ? `${p.architecture}/${p.activationFn}` : p.architecture)));
  throw new UnknownArchitectureError(`${arch}/${fn}`, known, context, 'SAELens architecture/activation_fn');
}

export { logThresholdOfSaeLens, SAELENS_THRESHOLD_TENSOR, saeLensThreshold } from './threshold-tensor.js';
