/**
 * The architecture registry: the one place that says what each architecture is (label, own k, activation,
 * defaults, options, cfg.json mapping). Adding an architecture = one definition file + one line below.
 */
import type { Weighting } from '../config.js';
import { ConfigError } from '../errors.js';
import type { ArchitectureDefinition } from './architecture.js';
import type { Architecture } from './architecture-name.js';
import { batchtopk } from './batchtopk.js';
import { jumprelu } from './jumprelu.js';
import { matryoshkaBatchtopk } from './matryoshka-batchtopk.js';
import { msae } from './msae.js';
import { relu } from './relu.js';
import { topk } from './topk.js';
import { UnknownArchitectureError } from './unknown-architecture-error.js';

const BUILTIN: { readonly [A in Architecture]: ArchitectureDefinition<A> } = { relu, topk, batchtopk, msae, 'matryoshka-batchtopk': matryoshkaBatchtopk, jumprelu };
/** The built-in definitions plus any registered at run time (registerArchitecture). */
const REGISTRY: Record<string, ArchitectureDefinition<string>> = { ...BUILTIN };

export type { Architecture } from './architecture-name.js';

/** Registered architecture names, in registration order. */
export const ARCHITECTURES: readonly Architecture[] = Object.keys(BUILTIN) as Architecture[];

/** Whether `name` is a registered architecture. */
export function isArchitecture(name: unknown): name is Architecture {
  return typeof name === 'string' && Object.hasOwn(REGISTRY, name);
}

/** The definition of a registered architecture; UnknownArchitectureError (prefixed with `context`) otherwise. */
export function getArchitecture(name: string, context?: string): ArchitectureDefinition {
  if (!isArchitecture(name)) throw new UnknownArchitectureError(String(name), ARCHITECTURES, context);
  return REGISTRY[name] as ArchitectureDefinition;
}

/** Every registered definition, in registration order. */
export function architectures(): ArchitectureDefinition[] {
  return Object.values(REGISTRY) as ArchitectureDefinition[];
}

/**
 * Add an architecture at run time (a plug-in, or a test planting one); returns the function that removes it.
 * A built-in name cannot be replaced.
 */
export function registerArchitecture(definition: ArchitectureDefinition<string>): () => void {
  if (Object.hasOwn(BUILTIN, definition.name)) throw new ConfigError('registerArchitecture', `architecture '${definition.name}' is built in`);
  REGISTRY[definition.name] = definition;
  return () => {
    delete REGISTRY[definition.name];
  };
}

/** The display label of a config: `msae-rw`, `msae-uw`, `topk`, `batchtopk`, `relu`. */
export function architectureLabel(config: { architecture: string; weighting?: string }): string {
  const labels = Object.entries(getArchitecture(config.architecture).labels);
  return (labels.find(([, w]) => w === config.weighting) ?? labels[0])[0];
}

/** Every label of every architecture. */
export function architectureLabels(): string[] {
  return architectures().flatMap((a) => Object.keys(a.labels));
}

/** A label back to its architecture and weighting (`msae-uw` -> msae, uw); UnknownArchitectureError otherwise. */
export function parseArchitectureLabel(label: string, context?: string): { architecture: Architecture; weighting: Weighting } {
  for (const a of architectures()) {
    const weighting = Object.hasOwn(a.labels, label) ? a.labels[label] : undefined;
    if (weighting !== undefined) return { architecture: a.name, weighting };
  }
  throw new UnknownArchitectureError(label, architectureLabels(), context, 'architecture label');
}

/** The architecture's own k of a config: trainer report k and namer evidence k (k0 msae, k topk/batchtopk, d_sae relu). */
export function ownK(config: Parameters<ArchitectureDefinition['ownK']>[0]): number {
  return getArchitecture(config.architecture).ownK(config);
}

/** The architectures that accept an option, for messages such as "l1 applies only to the relu architecture". */
export function architecturesWithOption(option: keyof ArchitectureDefinition['options']): Architecture[] {
  return architectures()
    .filter((a) => a.options[option])
    .map((a) => a.name);
}
