import { createReferenceEngine, initParams, type Matrix, type SaeConfig, type SaeEngine } from '@msae/core';
import { rowsInMemory } from './batch-source.js';
import { TrainingError } from './errors.js';
import { type EpochSummary, type StepProgress, trainLockstep } from './lockstep-loop.js';
import { resolveRun } from './options/resolve-run.js';
import type { TrainingOptions } from './options/training-options.js';
import { checkRows } from './row-checks.js';
import { SaeModel } from './sae-model.js';

export interface FitOptions extends TrainingOptions {
  /** An engine name of @msae/engines, loaded on demand (default `auto`; `reference` needs only @msae/core), or an engine you created. */
  engine?: string | SaeEngine;
  /** Raw validation rows, evaluated after every epoch (onEpoch). */
  validation?: Matrix;
  /** Use the demo defaults (epochs 5, batch 256, the registry's demo lr) instead of those for real data. */
  demo?: boolean;
  /** Aborting ends training after the current step; fit() then returns the model of that step (training.stopped). */
  signal?: AbortSignal;
  onStep?: (p: StepProgress) => void | Promise<void>;
  onEpoch?: (e: EpochSummary) => void | Promise<void>;
}

async function engineFor(choice: FitOptions['engine'], config: SaeConfig): Promise<SaeEngine> {
  if (typeof choice === 'object' && choice !== null) return choice;
  if (choice === 'reference') return createReferenceEngine(); // core's engine: no @msae/engines needed
  let engines: { createEngine: (name: string, o: { config: SaeConfig }) => Promise<SaeEngine> };
  try {
    engines = (await import('@msae/engines')) as unknown as typeof engines;
  } catch (cause) {
    throw new TrainingError('fit()', 'needs @msae/engines to choose an engine (npm install @msae/engines), or pass options.engine', { cause });
  }
  return engines.createEngine(choice ?? 'auto', { config });
}

/**
 * Train an SAE on raw embedding rows [rows, d_in] (Float32Array) and return the model. Normalization, the epoch
 * order, the LR schedule and the defaults are msae-train's (the same loop): options are validated by the option
 * schema (TrainingOptionError naming the option). Works in Node and in browsers.
 */
export async function fit(rows: Matrix, options: FitOptions = {}): Promise<SaeModel> {
  checkRows(rows, undefined, 'rows');
  if (options.validation !== undefined) checkRows(options.validation, rows.cols, 'validation');
  const { engine: engineChoice, validation, demo, signal, onStep, onEpoch, ...training } = options;
  const { config, state } = resolveRun(training, { cols: rows.cols, rows: rows.rows, demo });
  const source = rowsInMemory(rows, state.dataSeed ?? state.seed);
  const normalization = await source.normalization();
  const engine = await engineFor(engineChoice, config);
  try {
    await engine.load({ config, params: initParams(config, state.seed) });
    const outcome = await trainLockstep([{ name: 'fit', config, normalization, engine, state }], {
      source,
      validation,
      signal,
      onStep,
      onEpoch: onEpoch ? (s) => onEpoch(s[0]) : undefined,
    });
    const { params } = await engine.exportState();
    const meta = { ...state, steps: state.globalStep, stopped: outcome === 'stopped', engine: engine.name, createdAt: new Date().toISOString() };
    return new SaeModel(config, normalization, params, engine, meta);
  } catch (err) {
    if (engineChoice === undefined || typeof engineChoice === 'string') await engine.dispose();
    throw err;
  }
}
