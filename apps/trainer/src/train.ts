import {
  createRng,
  computeNormalization,
  defaultHyperparameters,
  initParams,
  learningRateAt,
  normalize,
  resolveConfig,
  type AdamState,
  type Checkpoint,
  type Matrix,
  type Normalization,
  type SaeConfig,
  type SaeEngine,
  type SaeParams,
} from '@msae/core';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkCheckpointTarget, loadCheckpoint, saveCheckpoint, type LoadedCheckpoint } from '@msae/io';
import { createEngine } from '@msae/engines';
import { evaluateSae, type EvalRecord } from '@msae/metrics';
import type { ProgressReporter } from './progress-reporter.js';
import { loadTrainingData } from './training-data.js';
import { DEFAULT_EPOCHS, DEMO_TRAINING_DEFAULTS, type TrainOptions } from './train-options.js';

/** Where a run stands; saved with the checkpoint so --resume continues exactly. */
export interface TrainerState {
  epoch: number;
  /** Steps already taken inside `epoch` (0 = epoch not started). */
  stepInEpoch: number;
  globalStep: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  samplesSeen: number;
  trainSeconds: number;
}

export interface TrainResult {
  /** Wall-clock seconds of this invocation (data loading, training, evaluation, saving). */
  seconds: number;
  /** Seconds spent inside training steps. */
  trainSeconds: number;
  samplesPerSecond: number;
  checkpoint: string;
  val: EvalRecord[];
  interrupted: boolean;
}

/** Raised after Ctrl-C once the checkpoint is safely written. */
export class TrainingInterrupted extends Error {
  constructor(public readonly checkpoint: string) {
    super(`interrupted: checkpoint saved to ${checkpoint} (continue with --resume ${checkpoint})`);
  }
}

/** --out, else the resumed directory, else runs/<architecture>[-<weighting>]. */
function outDirOf(options: TrainOptions): string {
  if (options.out !== undefined) return options.out;
  if (options.resume !== undefined) return options.resume;
  return `runs/${options.architecture === 'msae' ? `msae-${options.weighting}` : options.architecture}`;
}

/** Per-epoch permutation, derived from (seed, epoch) so a resumed run sees the same order. */
function epochOrder(seed: number, epoch: number, rows: number): Uint32Array {
  return createRng((seed * 1_000_003 + epoch * 7919) >>> 0).permutation(rows);
}

function gatherBatch(x: Float32Array, cols: number, order: Uint32Array, from: number, to: number, out: Float32Array): Float32Array {
  const batch = out.subarray(0, (to - from) * cols);
  for (let i = from; i < to; i++) batch.set(x.subarray(order[i] * cols, (order[i] + 1) * cols), (i - from) * cols);
  return batch;
}

interface RunSetup {
  config: SaeConfig;
  normalization: Normalization;
  params: SaeParams;
  adam?: AdamState;
  state: TrainerState;
  outDir: string;
}

/** The --resume checkpoint with its optimizer and trainer state; one-line errors naming the directory. */
async function loadResumable(dir: string): Promise<LoadedCheckpoint> {
  const saved = await loadCheckpoint(dir, { resume: true });
  if (!saved.trainerState || !saved.optimizer) throw new Error(`${dir}: no optimizer/trainer state to resume from`);
  return saved;
}

async function setUpRun(options: TrainOptions, train: Matrix, resumed: LoadedCheckpoint | undefined): Promise<RunSetup> {
  const demo = options.data === undefined;
  if (options.resume !== undefined && resumed !== undefined) {
    const saved = resumed;
    const ck = saved;
    if (ck.config.dIn !== train.cols) {
      throw new Error(`${options.resume}: checkpoint d_in ${ck.config.dIn} does not match the data dimension ${train.cols}`);
    }
    const prev = saved.trainerState as unknown as TrainerState;
    const state: TrainerState = { ...prev, epochs: options.epochs ?? prev.epochs };
    return { config: ck.config, normalization: ck.normalization, params: ck.params, adam: saved.optimizer, state, outDir: outDirOf(options) };
  }
  const hyper = defaultHyperparameters(options.architecture);
  const config = resolveConfig({
    dIn: train.cols,
    architecture: options.architecture,
    k: options.k,
    expansion: options.latents === undefined ? options.expansion : undefined,
    dSae: options.latents,
    weighting: options.architecture === 'msae' ? options.weighting : undefined,
    loss: options.loss,
    l1: options.architecture === 'relu' ? (options.l1 ?? hyper.l1) : undefined,
  });
  const state: TrainerState = {
    epoch: 0,
    stepInEpoch: 0,
    globalStep: 0,
    epochs: options.epochs ?? (demo ? DEMO_TRAINING_DEFAULTS.epochs : DEFAULT_EPOCHS),
    batchSize: options.batchSize ?? (demo ? DEMO_TRAINING_DEFAULTS.batchSize : hyper.batchSize),
    lr: options.lr ?? (demo && options.architecture === 'msae' ? DEMO_TRAINING_DEFAULTS.lr : hyper.lr),
    seed: options.seed,
    samplesSeen: 0,
    trainSeconds: 0,
  };
  return {
    config,
    normalization: computeNormalization(train),
    params: initParams(config, options.seed),
    state,
    outDir: outDirOf(options),
  };
}

/** The k values reported at the end: the architecture's k and every positive code (k = dSae). */
export function reportKs(config: SaeConfig): number[] {
  const k = config.architecture === 'relu' ? config.dSae : config.architecture === 'msae' ? config.nesting[0] : config.k;
  return k === config.dSae ? [config.dSae] : [k, config.dSae];
}

/**
 * Train an SAE: load data, normalize, run epochs of shuffled mini-batches through the engine with the
 * LR schedule, evaluate on the validation set after every epoch, and write the checkpoint.
 * `shouldStop` is polled after every step (Ctrl-C): the run then saves and throws TrainingInterrupted.
 */
export async function runTraining(
  options: TrainOptions,
  reporter: ProgressReporter,
  shouldStop: () => boolean = () => false,
): Promise<TrainResult> {
  const wallStart = performance.now();
  // Bad --resume or an unwritable output directory must fail now, not after loading the data and training
  // (the save creates missing parents).
  const resumed = options.resume !== undefined ? await loadResumable(options.resume) : undefined;
  await checkCheckpointTarget(outDirOf(options), { createsParents: true });
  const data = await loadTrainingData(options.data, options.val, options.seed);
  const run = await setUpRun(options, data.train, resumed);
  reporter.info(`data: ${data.description}`);
  reporter.info(`val:  ${data.valDescription}`);
  if (data.synthetic) reporter.info('note: the built-in demo data is synthetic (planted hierarchical concepts), not real CLIP embeddings');
  const { config, normalization, state } = run;
  const engine: SaeEngine = await createEngine(options.backend, { onFallback: (m) => reporter.info(`note: ${m}`) });
  reporter.info(
    `${config.architecture}${config.architecture === 'msae' ? `-${config.weighting}` : ''} ${config.dIn} -> ${config.dSae}, ` +
      `k ${config.k}, nesting [${config.nesting.join(', ')}], batch ${state.batchSize}, lr ${state.lr}, ` +
      `epochs ${state.epochs}, engine ${engine.name}${options.resume ? `, resuming at epoch ${state.epoch + 1} step ${state.stepInEpoch}` : ''}`,
  );

  try {
    await engine.load({ config, params: run.params, adam: run.adam });
    const xn = normalize(data.train.data, normalization);
    const rows = data.train.rows;
    const cols = data.train.cols;
    const stepsPerEpoch = Math.ceil(rows / state.batchSize);
    const totalSteps = stepsPerEpoch * state.epochs;
    const batchBuffer = new Float32Array(Math.min(state.batchSize, rows) * cols);
    const checkpointOf = (training: Record<string, unknown>): Checkpoint => ({ config, normalization, params: run.params, training });
    const metadata = (val: EvalRecord[] | undefined) => ({
      epochs: state.epochs,
      epochsCompleted: state.epoch,
      steps: state.globalStep,
      seed: state.seed,
      batchSize: state.batchSize,
      lr: state.lr,
      data: options.data ?? 'builtin:demo (synthetic)',
      val: options.val ?? (options.data ? 'holdout:10%' : 'builtin:demo-val (synthetic)'),
      engine: engine.name,
      trainSeconds: state.trainSeconds,
      samplesPerSecond: state.trainSeconds > 0 ? state.samplesSeen / state.trainSeconds : 0,
      metrics: val ?? null,
      createdAt: new Date().toISOString(),
    });
    const save = async (val?: EvalRecord[]) => {
      const exported = await engine.exportState();
      run.params = exported.params;
      await mkdir(dirname(resolve(run.outDir)), { recursive: true }).catch((err: unknown) => {
        throw new Error(`${run.outDir}: cannot save checkpoint: cannot create ${dirname(resolve(run.outDir))} (${(err as { code?: string }).code ?? String(err)})`);
      });
      await saveCheckpoint(run.outDir, checkpointOf(metadata(val)), { optimizer: exported.adam, trainerState: { ...state } });
    };

    while (state.epoch < state.epochs) {
      const order = epochOrder(state.seed, state.epoch, rows);
      let lossSum = 0;
      let lossCount = 0;
      const epochStart = performance.now();
      let epochSamples = 0;
      for (let s = state.stepInEpoch; s < stepsPerEpoch; s++) {
        const from = s * state.batchSize;
        const to = Math.min(rows, from + state.batchSize);
        const batch = gatherBatch(xn, cols, order, from, to, batchBuffer);
        const lr = learningRateAt(state.globalStep, totalSteps, state.lr);
        const t0 = performance.now();
        const result = await engine.trainStep(batch, to - from, lr);
        const dt = (performance.now() - t0) / 1000;
        if (!Number.isFinite(result.loss)) throw new Error(`training diverged: loss is ${result.loss} at step ${state.globalStep} (try a lower --lr)`);
        state.trainSeconds += dt;
        state.samplesSeen += to - from;
        epochSamples += to - from;
        state.globalStep++;
        state.stepInEpoch = s + 1;
        lossSum += result.loss;
        lossCount++;
        reporter.step({
          epoch: state.epoch + 1,
          epochs: state.epochs,
          step: s + 1,
          stepsPerEpoch,
          samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
          loss: lossSum / lossCount,
        });
        // Let signal handlers (Ctrl-C) run: engines may resolve without ever yielding to the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (shouldStop()) {
          reporter.stop();
          await save();
          throw new TrainingInterrupted(run.outDir);
        }
      }
      const quick = await evaluateSae({ engine, x: data.val, normalization, ks: reportKs(config), cknnaRows: 0 });
      state.epoch++;
      state.stepInEpoch = 0;
      reporter.epoch({
        epoch: state.epoch,
        epochs: state.epochs,
        globalStep: state.globalStep,
        loss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
        lr: learningRateAt(Math.max(0, state.globalStep - 1), totalSteps, state.lr),
        samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
        val: quick.map((r) => ({ k: r.k, fvu: r.fvu, l0: r.l0, deadLatents: r.deadLatents })),
      });
      if (shouldStop()) {
        await save();
        throw new TrainingInterrupted(run.outDir);
      }
    }
    reporter.stop();
    reporter.info('evaluating on the validation set ...');
    const val = await evaluateSae({ engine, x: data.val, normalization, ks: reportKs(config), cknnaRows: 1000 });
    await save(val);
    return {
      seconds: (performance.now() - wallStart) / 1000,
      trainSeconds: state.trainSeconds,
      samplesPerSecond: state.trainSeconds > 0 ? state.samplesSeen / state.trainSeconds : 0,
      checkpoint: run.outDir,
      val,
      interrupted: false,
    };
  } finally {
    await engine.dispose();
  }
}
