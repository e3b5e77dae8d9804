import {
  computeNormalization,
  createRng,
  encodeCheckpoint,
  getArchitecture,
  initParams,
  learningRateAt,
  normalize,
  resolveConfig,
  type Architecture,
  type Matrix,
  type SaeConfig,
  type SaeEngine,
  type Weighting,
} from '@msae/core';
import { evaluateSae, progressiveKs, type EvalRecord } from '@msae/metrics';

/** What the playground's Train view asks for. */
export interface TrainSettings {
  architecture: Architecture;
  weighting: Weighting;
  k: number;
  expansion: number;
  epochs: number;
  batchSize: number;
  lr?: number;
  seed: number;
  /** Stop after this many steps (the tests' fixed-length runs); default: epochs x steps per epoch. */
  maxSteps?: number;
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
 * Train an SAE on `train` with a loaded-on-demand engine, the trainer's recipe (normalize, per-epoch
 * shuffle from (seed, epoch), LR constant then linear decay), reporting steps and live per-level FVU,
 * then evaluate progressively on `val` and encode the checkpoint (cfg.json + sae_weights.safetensors).
 */
export async function trainSae(
  engine: SaeEngine,
  train: Matrix,
  val: Matrix,
  s: TrainSettings,
  onEvent: (e: TrainEvent) => void = () => undefined,
  shouldStop: () => boolean = () => false,
): Promise<TrainOutcome> {
  const arch = getArchitecture(s.architecture); // which options apply, and the defaults (registry)
  const config = resolveConfig({
    dIn: train.cols,
    architecture: s.architecture,
    k: arch.options.k ? s.k : undefined,
    expansion: s.expansion,
    weighting: arch.options.weighting ? s.weighting : undefined,
    l1: arch.options.l1 ? arch.defaults.l1 : undefined,
  });
  const lr = s.lr ?? arch.defaults.demoLr;
  const normalization = computeNormalization(train);
  const params = initParams(config, s.seed);
  await engine.load({ config, params });
  const xn = normalize(train.data, normalization);
  const rows = train.rows;
  const cols = train.cols;
  const batchSize = Math.min(s.batchSize, rows);
  const stepsPerEpoch = Math.ceil(rows / batchSize);
  const totalSteps = Math.min(s.maxSteps ?? Infinity, stepsPerEpoch * s.epochs);
  const liveEvery = s.liveEvery ?? 8;
  const liveVal = subRows(val, s.liveValRows ?? 256);
  const batch = new Float32Array(batchSize * cols);
  onEvent({ type: 'start', config, engine: engine.name, totalSteps, rows });

  let step = 0;
  let trainSeconds = 0;
  let samples = 0;
  const live = async () => {
    const recs = await evaluateSae({ engine, x: liveVal, normalization, ks: config.nesting, cknnaRows: 0 });
    onEvent({ type: 'levels', step, levels: recs.map((r) => ({ k: r.k, fvu: r.fvu })) });
  };
  outer: for (let epoch = 0; epoch < s.epochs; epoch++) {
    const order = createRng((s.seed * 1_000_003 + epoch * 7919) >>> 0).permutation(rows);
    for (let b = 0; b < stepsPerEpoch; b++) {
      if (step >= totalSteps || shouldStop()) break outer;
      const from = b * batchSize;
      const to = Math.min(rows, from + batchSize);
      for (let i = from; i < to; i++) batch.set(xn.subarray(order[i] * cols, (order[i] + 1) * cols), (i - from) * cols);
      const t0 = performance.now();
      const res = await engine.trainStep(batch.subarray(0, (to - from) * cols), to - from, learningRateAt(step, totalSteps, lr));
      trainSeconds += (performance.now() - t0) / 1000;
      if (!Number.isFinite(res.loss)) throw new Error(`training diverged: loss is ${res.loss} at step ${step} (try a lower learning rate)`);
      samples += to - from;
      step++;
      onEvent({ type: 'step', step, totalSteps, epoch: epoch + 1, loss: res.loss, levelLosses: res.levelLosses, samplesPerSecond: samples / trainSeconds });
      if (step % liveEvery === 0 || step === totalSteps) await live();
    }
  }
  const records = await evaluateSae({ engine, x: val, normalization, ks: progressiveKs(config.dSae), cknnaRows: Math.min(500, val.rows) });
  const exported = await engine.exportState();
  const training = { steps: step, epochs: s.epochs, seed: s.seed, batchSize, lr, engine: engine.name, data: 'playground', metrics: records, createdAt: new Date().toISOString() };
  const { cfgJson, weights } = encodeCheckpoint({ config, normalization, params: exported.params, training });
  return { config, engine: engine.name, steps: step, trainSeconds, samplesPerSecond: trainSeconds > 0 ? samples / trainSeconds : 0, records, cfgJson, weights };
}
