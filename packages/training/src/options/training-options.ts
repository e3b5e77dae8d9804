import { ARCHITECTURES, architectures, DEFAULT_AUX_WEIGHT, DEFAULT_K, DEFAULT_LOSS, RECON_LOSSES, WEIGHTINGS, type Architecture, type ArchitectureDefaults, type ReconLoss, type Weighting } from '@msae/core';
import { cfgKeyOf, DEFAULT_EXPANSION, DEFAULT_GROUP_FRACTIONS } from '@msae/core/internal';
import type { OptionSpec } from './option-spec.js';

/** The training options as a plain object (fit(), a sweep member, the playground form). Undefined = default. */
export interface TrainingOptions {
  architecture?: Architecture;
  weighting?: Weighting;
  k?: number;
  expansion?: number;
  latents?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  l1?: number;
  loss?: ReconLoss;
  seed?: number;
  dataSeed?: number;
  maxSteps?: number;
  auxk?: boolean;
  auxK?: number;
  auxWeight?: number;
  deadAfter?: number;
  groups?: number[];
  groupWeights?: number[];
  l0?: number;
  bandwidth?: number;
  initThreshold?: number;
}

export const DEFAULT_ARCHITECTURE: Architecture = 'msae';
export const DEFAULT_SEED = 42;
/** Default epochs on user data. */
export const DEFAULT_EPOCHS = 30;
/** The demo run's defaults: small batches so the built-in data converges in about a minute (lr: the registry's demoLr). */
export const DEMO_TRAINING_DEFAULTS = { epochs: 5, batchSize: 256 } as const;

/** "msae 0.0001, topk 0.0005, ..." of one registry default, or the single value when every architecture shares it. */
function perArchitecture(pick: (d: ArchitectureDefaults) => number | undefined, only?: (a: ReturnType<typeof architectures>[number]) => boolean): string {
  const defs = architectures().filter((a) => (only ? only(a) : true));
  const values = defs.map((a) => pick(a.defaults));
  if (values.every((v) => v === values[0])) return String(values[0]);
  return defs.map((a, i) => `${a.name} ${values[i]}`).join(', ');
}

const fraction = (f: number) => (Number.isInteger(1 / f) ? `1/${1 / f}` : String(f));

/**
 * Every training option, once: CLI flags and help, sweep keys, validation, the playground form and fit() derive from it.
 * cfgKey: the cfg.json key of the config field the option sets, from core's CONFIG_CFG_KEYS (what the checkpoint writer writes).
 */
export const TRAINING_OPTIONS: readonly OptionSpec[] = [
  { key: 'architecture', flag: '--architecture', value: '<name>', kind: 'choice', choices: ARCHITECTURES, scope: 'member', help: 'SAE architecture', defaultText: () => DEFAULT_ARCHITECTURE, cfgKey: cfgKeyOf('architecture'), saeLensKey: 'architecture' },
  { key: 'weighting', flag: '--weighting', value: '<name>', kind: 'choice', choices: WEIGHTINGS, scope: 'member', requires: 'weighting', help: 'Matryoshka level weighting (msae)', defaultText: () => architectures().find((a) => a.options.weighting)?.defaults.weighting, cfgKey: cfgKeyOf('weighting') },
  { key: 'k', flag: '--k', value: '<n>', kind: 'positiveInt', scope: 'member', requires: 'k', help: 'TopK k, BatchTopK k, or MSAE k0', defaultText: () => String(DEFAULT_K), cfgKey: cfgKeyOf('k'), saeLensKey: 'k' },
  { key: 'expansion', flag: '--expansion', value: '<x>', kind: 'positive', scope: 'member', help: 'latents = expansion x d_in', defaultText: () => String(DEFAULT_EXPANSION), cfgKey: cfgKeyOf('dSae'), saeLensKey: 'd_sae' },
  { key: 'latents', flag: '--latents', value: '<n>', kind: 'positiveInt', scope: 'member', help: 'number of latents (instead of --expansion)', cfgKey: cfgKeyOf('dSae'), saeLensKey: 'd_sae' },
  { key: 'epochs', flag: '--epochs', value: '<n>', kind: 'positiveInt', scope: 'run', help: 'epochs', defaultText: () => `${DEFAULT_EPOCHS}; demo ${DEMO_TRAINING_DEFAULTS.epochs}` },
  { key: 'batchSize', flag: '--batch-size', value: '<n>', kind: 'positiveInt', scope: 'run', help: 'batch size', defaultText: () => `${perArchitecture((d) => d.batchSize)}; demo ${DEMO_TRAINING_DEFAULTS.batchSize}` },
  { key: 'lr', flag: '--lr', value: '<x>', kind: 'positive', scope: 'member', help: 'peak learning rate', defaultText: () => perArchitecture((d) => d.lr) },
  { key: 'l1', flag: '--l1', value: '<x>', kind: 'nonNegative', scope: 'member', requires: 'l1', help: 'L1 weight (relu)', defaultText: () => perArchitecture((d) => d.l1, (a) => a.options.l1), cfgKey: cfgKeyOf('l1'), saeLensKey: 'l1_coefficient' },
  { key: 'loss', flag: '--loss', value: '<name>', kind: 'choice', choices: RECON_LOSSES, scope: 'member', help: 'reconstruction loss', defaultText: () => DEFAULT_LOSS, cfgKey: cfgKeyOf('loss') },
  { key: 'seed', flag: '--seed', value: '<n>', kind: 'int', scope: 'member', help: 'random seed', defaultText: () => String(DEFAULT_SEED) },
  { key: 'dataSeed', flag: '--data-seed', value: '<n>', kind: 'int', scope: 'run', help: 'seed of the shuffle and the hold-out', defaultText: () => '--seed' },
  { key: 'maxSteps', flag: '--max-steps', value: '<n>', kind: 'positiveInt', scope: 'run', help: 'stop after n steps in all (the LR schedule ends there; checkpoint saved as usual)' },
  { key: 'auxk', flag: '--auxk', kind: 'boolean', scope: 'member', requires: 'auxK', refusedBy: ['webgpu'], help: 'AuxK loss (Gao et al.): dead latents reconstruct the residual at the own k' },
  { key: 'auxK', flag: '--aux-k', value: '<n>', kind: 'positiveInt', scope: 'member', requires: 'auxK', refusedBy: ['webgpu'], help: 'AuxK: dead latents per row (implies --auxk)', defaultText: () => 'd_in / 2', cfgKey: cfgKeyOf('auxK') },
  { key: 'auxWeight', flag: '--aux-weight', value: '<x>', kind: 'nonNegative', scope: 'member', requires: 'auxK', refusedBy: ['webgpu'], help: 'AuxK loss weight; 0 = off (implies --auxk)', defaultText: () => fraction(DEFAULT_AUX_WEIGHT), cfgKey: cfgKeyOf('auxWeight'), saeLensKey: 'aux_k_coefficient' },
  { key: 'deadAfter', flag: '--dead-after', value: '<n>', kind: 'positiveInt', scope: 'member', requires: 'auxK', refusedBy: ['webgpu'], help: 'AuxK: samples without firing before a latent is dead (implies --auxk)', defaultText: () => 'one epoch of training rows', cfgKey: cfgKeyOf('deadAfter') },
  { key: 'groups', flag: '--groups', value: '<list>', kind: 'list', scope: 'member', requires: 'groups', refusedBy: ['webgpu'], help: 'matryoshka-batchtopk latent groups: counts summing to d_sae or fractions summing to 1, comma-separated', defaultText: () => DEFAULT_GROUP_FRACTIONS.map(fraction).join(','), cfgKey: cfgKeyOf('nesting') },
  { key: 'groupWeights', flag: '--group-weights', value: '<list>', kind: 'list', scope: 'member', requires: 'groups', refusedBy: ['webgpu'], help: 'matryoshka-batchtopk loss weight of each group prefix, comma-separated', defaultText: () => '1 each', cfgKey: cfgKeyOf('weights') },
  { key: 'l0', flag: '--l0', value: '<x>', kind: 'nonNegative', scope: 'member', requires: 'threshold', refusedBy: ['cpu', 'webgpu'], help: 'jumprelu: L0 penalty coefficient, l0 * mean active latents per row', defaultText: () => perArchitecture((d) => d.l0, (a) => a.options.threshold === true), cfgKey: cfgKeyOf('l0'), saeLensKey: 'l0_coefficient' },
  { key: 'bandwidth', flag: '--bandwidth', value: '<x>', kind: 'positive', scope: 'member', requires: 'threshold', refusedBy: ['cpu', 'webgpu'], help: 'jumprelu: kernel bandwidth of the threshold straight-through estimator', defaultText: () => perArchitecture((d) => d.bandwidth, (a) => a.options.threshold === true), cfgKey: cfgKeyOf('bandwidth'), saeLensKey: 'jumprelu_bandwidth' },
  { key: 'initThreshold', flag: '--init-threshold', value: '<x>', kind: 'positive', scope: 'member', requires: 'threshold', refusedBy: ['cpu', 'webgpu'], help: 'jumprelu: initial threshold of every latent', defaultText: () => perArchitecture((d) => d.initThreshold, (a) => a.options.threshold === true), cfgKey: cfgKeyOf('initThreshold'), saeLensKey: 'jumprelu_init_threshold' },
];

/** The spec of an option by its key. */
export function optionSpec(key: string): OptionSpec | undefined {
  return TRAINING_OPTIONS.find((s) => s.key === key);
}

/** The schema's keys of a larger object (a CLI's options also hold files and engines): what validation and fit() read. */
export function pickTrainingOptions(o: object): TrainingOptions {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const s of TRAINING_OPTIONS) if (src[s.key] !== undefined) out[s.key] = src[s.key];
  return out as TrainingOptions;
}
