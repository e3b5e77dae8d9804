import { getArchitecture, resolveConfig, type ConfigOptions, type SaeConfig } from '@msae/core';
import { DEFAULT_DEAD_AFTER, MAX_DEAD_AFTER } from '@msae/core/internal';
import { freshTrainerState, type TrainerState } from '../trainer-state.js';
import { DEFAULT_ARCHITECTURE, DEFAULT_EPOCHS, DEFAULT_SEED, DEMO_TRAINING_DEFAULTS, pickTrainingOptions, type TrainingOptions } from './training-options.js';
import { validateTrainingOptions } from './validate-options.js';

/** The data a run trains on, as far as the options need it. */
export interface RunData {
  cols: number;
  rows: number;
  /** The built-in synthetic demo set: demo defaults (epochs, batch size, the registry's demoLr). */
  demo?: boolean;
}

/**
 * The AuxK fields of resolveConfig (on with `auxk` or any of auxK, auxWeight, deadAfter; auxWeight 0 turns it off).
 * Default deadAfter: one epoch of training rows (a latent is dead when it has not fired on any sample of the last
 * epoch), capped at MAX_DEAD_AFTER; core's default when the size is unknown.
 */
export function auxKConfigOptions(o: TrainingOptions, trainRows: number | undefined): Pick<ConfigOptions, 'auxK' | 'auxWeight' | 'deadAfter'> {
  const on = o.auxk === true || o.auxK !== undefined || o.auxWeight !== undefined || o.deadAfter !== undefined;
  if (!on || o.auxWeight === 0) return {};
  const epoch = trainRows !== undefined && trainRows > 0 ? Math.min(trainRows, MAX_DEAD_AFTER) : DEFAULT_DEAD_AFTER;
  return { auxK: o.auxK, auxWeight: o.auxWeight, deadAfter: o.deadAfter ?? epoch };
}

/** The SAE config of validated options on data of width `dIn` (options the architecture does not take are left out). */
export function configOf(o: TrainingOptions, dIn: number, trainRows?: number): SaeConfig {
  const architecture = o.architecture ?? DEFAULT_ARCHITECTURE;
  const arch = getArchitecture(architecture);
  return resolveConfig({
    dIn,
    architecture,
    k: arch.options.k ? o.k : undefined,
    expansion: o.latents === undefined ? o.expansion : undefined,
    dSae: o.latents,
    weighting: arch.options.weighting ? o.weighting : undefined,
    loss: o.loss,
    l1: arch.options.l1 ? (o.l1 ?? arch.defaults.l1) : undefined,
    ...(arch.options.auxK ? auxKConfigOptions(o, trainRows) : {}),
    ...(arch.options.groups ? { groups: o.groups, groupWeights: o.groupWeights } : {}),
    ...(arch.options.threshold ? { l0: o.l0, bandwidth: o.bandwidth, initThreshold: o.initThreshold } : {}),
  });
}

/**
 * A new run from options (the schema's keys of `given`): validates them (TrainingOptionError naming the option with `name`), resolves the config
 * and the trainer state with the defaults (the registry's per-architecture lr and batch size; the demo's on demo data).
 */
export function resolveRun(given: TrainingOptions, data: RunData, name?: (key: string) => string): { config: SaeConfig; state: TrainerState } {
  const o = pickTrainingOptions(given);
  validateTrainingOptions(o, { rows: data.rows }, name);
  const config = configOf(o, data.cols, data.rows);
  const defaults = getArchitecture(config.architecture).defaults;
  const batchSize = o.batchSize ?? (data.demo ? DEMO_TRAINING_DEFAULTS.batchSize : defaults.batchSize);
  const seed = o.seed ?? DEFAULT_SEED;
  const state = freshTrainerState({
    epochs: o.epochs ?? (data.demo ? DEMO_TRAINING_DEFAULTS.epochs : DEFAULT_EPOCHS),
    batchSize,
    lr: o.lr ?? (data.demo ? defaults.demoLr : defaults.lr),
    seed,
    dataSeed: o.dataSeed ?? seed,
    maxSteps: o.maxSteps,
  });
  return { config, state };
}
