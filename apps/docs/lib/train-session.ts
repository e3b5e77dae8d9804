import { encodeCheckpoint, initParams, type Matrix, type SaeConfig, type SaeEngine } from '@msae/core';
import { evaluateSae, progressiveKs, type EvalRecord } from '@msae/metrics';
import { DEFAULT_ARCHITECTURE, optionSchema, pickTrainingOptions, resolveRun, rowsInMemory, scheduleSteps, stepsPerEpochOf, trainLockstep, type TrainingOptions } from '@msae/training';

/** What the playground's Train view asks for: @msae/training's options (validated by its schema, as the CLI's). */
export interface TrainSettings extends TrainingOptions {
  /** Live per-level FVU on the first `liveValRows` validation rows every `liveEvery` steps (default 8 / 256). */
  liveEvery?: number;
  liveValRows?: number;
}

export type TrainEvent =
  | { type: 'start'; config: SaeConfig; engine: string; totalSteps: number; rows: number }
  | { type: 'step'; step: number; totalSteps: number; epoch: number; loss: number; levelLosses: number[]; samplesPerSecond: number }
  | { type: 'levels'; step: number; levels: Array<{ k: number; fvu: number }> };

export interface TrainOutcome {
  config: SaeConfig;
  engine: string;
  steps: number;
  /** True when Stop ended the run: the checkpoint is the one of the last step taken. */
  stopped: boolean;
  trainSeconds: number;
  samplesPerSecond: number;
  /** Progressive-k evaluation on the validation set (k = 16, 32, ..., d_sae). */
  records: EvalRecord[];
  cfgJson: string;
  weights: Uint8Array;
}

function subRows(m: Matrix, rows: number): Matrix {
  const r = Math.min(rows, m.rows);
  return { data: m.data.subarray(0, r * m.cols), rows: r, cols: m.cols };
}

/**
 * Train an SAE on `train` with a loaded-on-demand engine through @msae/training (the CLI's loop, options and
 * defaults: demo lr, epochs and batch size), reporting steps and live per-level FVU, then evaluate progressively on
 * `val` and encode the checkpoint (cfg.json + sae_weights.safetensors). Aborting `signal` (the worker's Stop) ends
 * training after the current step; the checkpoint of that step is evaluated and returned.
 */
export async function trainSae(
  engine: SaeEngine,
  train: Matrix,
  val: Matrix,
  s: TrainSettings,
  onEvent: (e: TrainEvent) => void = () => undefined,
  signal?: AbortSignal,
): Promise<TrainOutcome> {
  // the form keeps the values of fields it hides (weighting for topk, ...): only the architecture's own options count
  const shown = new Set(optionSchema(s.architecture ?? DEFAULT_ARCHITECTURE).map((o) => o.key));
  const options = Object.fromEntries(Object.entries(pickTrainingOptions(s)).filter(([key]) => shown.has(key)));
  const { config, state } = resolveRun(options, { cols: train.cols, rows: train.rows, demo: true });
  const source = rowsInMemory(train, state.dataSeed ?? state.seed);
  const normalization = await source.normalization();
  await engine.load({ config, params: initParams(config, state.seed) });
  const totalSteps = scheduleSteps(state, stepsPerEpochOf(train.rows, state.batchSize));
  const liveEvery = s.liveEvery ?? 8;
  const liveVal = subRows(val, s.liveValRows ?? 256);
  onEvent({ type: 'start', config, engine: engine.name, totalSteps, rows: train.rows });

  const outcome = await trainLockstep([{ name: 'playground', config, normalization, engine, state }], {
    source,
    signal,
    onStep: async (p) => {
      const r = p.results[0];
      const samplesPerSecond = state.trainSeconds > 0 ? state.samplesSeen / state.trainSeconds : 0;
      onEvent({ type: 'step', step: p.globalStep, totalSteps, epoch: p.epoch, loss: r.loss, levelLosses: r.levelLosses, samplesPerSecond });
      if (p.globalStep % liveEvery === 0 || p.globalStep === totalSteps) {
        const recs = await evaluateSae({ engine, x: liveVal, normalization, ks: config.nesting, cknnaRows: 0 });
        onEvent({ type: 'levels', step: p.globalStep, levels: recs.map((x) => ({ k: x.k, fvu: x.fvu })) });
      }
    },
  });
  const records = await evaluateSae({ engine, x: val, normalization, ks: progressiveKs(config.dSae), cknnaRows: Math.min(500, val.rows) });
  const exported = await engine.exportState();
  const training = { ...state, steps: state.globalStep, data: 'playground', stopped: outcome === 'stopped', metrics: records, createdAt: new Date().toISOString() };
  const { cfgJson, weights } = encodeCheckpoint({ config, normalization, params: exported.params, training });
  return {
    config,
    engine: engine.name,
    steps: state.globalStep,
    stopped: outcome === 'stopped',
    trainSeconds: state.trainSeconds,
    samplesPerSecond: state.trainSeconds > 0 ? state.samplesSeen / state.trainSeconds : 0,
    records,
    cfgJson,
    weights,
  };
}
