import { architectureLabel, initParams, type AdamState, type Normalization, type SaeConfig, type SaeEngine, type SaeParams } from '@msae/core';
import { InterruptedError } from '@msae/cli-kit';
import { checkCheckpointTarget, fileError, IoError, loadCheckpoint, resolveShardPaths, type LoadedCheckpoint } from '@msae/io';
import { createEngine } from '@msae/engines';
import { evaluateSae, type EvalRecord } from '@msae/metrics';
import type { ProgressReporter } from './progress-reporter.js';
import { createMemberRun } from './member-run.js';
import { runMembers, type RunControl } from './run-members.js';
import { openTrainingSource, type SourceOptions, type TrainingSource } from './training-source.js';
import { DEFAULT_ARCHITECTURE, DEFAULT_SEED, reportKs, resolveRun, type TrainerState } from '@msae/training';
import { flagOf, type TrainOptions } from './train-options.js';
import { refuseOtherRunsCheckpoint } from './replace-guard.js';
import { lockCheckpointDir } from './run-lock.js';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export { reportKs, type TrainerState };

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

/** The InterruptedError (cli-kit; exit 130) raised after Ctrl-C once the checkpoint at `dir` is safely written. */
export function trainingInterrupted(dir: string): InterruptedError {
  return new InterruptedError(`interrupted: checkpoint saved to ${dir} (continue with --resume ${dir})`, dir);
}

/** --out, else the resumed directory, else runs/<label> (msae-rw, msae-uw, topk, batchtopk, relu). */
export function outDirOf(options: TrainOptions): string {
  if (options.out !== undefined) return options.out;
  if (options.resume !== undefined) return options.resume;
  return `runs/${architectureLabel({ architecture: options.architecture ?? DEFAULT_ARCHITECTURE, weighting: options.weighting })}`;
}

export interface RunSetup {
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
  if (!saved.trainerState || !saved.optimizer) throw new IoError(dir, 'no optimizer/trainer state to resume from');
  return saved;
}

/**
 * A resumed run reads the data it was trained on: --data / --val default to the paths recorded in cfg.json
 * "training" (labels such as builtin:demo or holdout:stream are not paths and mean "as before" already).
 */
export function withRecordedData(options: TrainOptions, resumed: Pick<LoadedCheckpoint, 'training'>): TrainOptions {
  const recorded = (key: 'data' | 'val'): string | undefined => {
    const v = resumed.training?.[key];
    return typeof v === 'string' && !/^(builtin|holdout):/.test(v) ? v : undefined;
  };
  return { ...options, data: options.data ?? recorded('data'), val: options.val ?? (options.data === undefined ? recorded('val') : undefined) };
}

/** What setUpRun needs of the data: its width and (for a new run) its normalization statistics. */
export type DataShape = Pick<TrainingSource, 'cols' | 'rows' | 'normalization'>;

export async function setUpRun(options: TrainOptions, train: DataShape, resumed: LoadedCheckpoint | undefined): Promise<RunSetup> {
  const demo = options.data === undefined;
  if (options.resume !== undefined && resumed !== undefined) {
    const saved = resumed;
    const ck = saved;
    if (ck.config.dIn !== train.cols) {
      throw new IoError(options.resume, `checkpoint d_in ${ck.config.dIn} does not match the data dimension ${train.cols}`);
    }
    const prev = saved.trainerState as unknown as TrainerState;
    const state: TrainerState = { ...prev, epochs: options.epochs ?? prev.epochs, maxSteps: options.maxSteps ?? prev.maxSteps ?? null };
    return { config: ck.config, normalization: ck.normalization, params: ck.params, adam: saved.optimizer, state, outDir: outDirOf(options) };
  }
  const { config, state } = resolveRun(options, { cols: train.cols, rows: train.rows, demo }, flagOf);
  return {
    config,
    normalization: await train.normalization(),
    params: initParams(config, state.seed),
    state,
    outDir: outDirOf(options),
  };
}

/**
 * Train an SAE: load data, normalize, run epochs of shuffled mini-batches through the engine with the
 * LR schedule, evaluate on the validation set after every epoch, and write the checkpoint.
 * When `control.signal` aborts (Ctrl-C) the run stops after the current step, saves and throws cli-kit's InterruptedError.
 */
export async function runTraining(given: TrainOptions, reporter: ProgressReporter, control: RunControl = {}): Promise<TrainResult> {
  const wallStart = performance.now();
  // Bad --resume or an unwritable output directory must fail now, not after loading the data and training
  // (the save creates missing parents).
  const resumed = given.resume !== undefined ? await loadResumable(given.resume) : undefined;
  const options = resumed ? withRecordedData(given, resumed) : given;
  await checkInputsExist(options); // a missing --data / --val is the first thing to name, before the output directory
  await checkCheckpointTarget(outDirOf(options), { createsParents: true });
  await refuseOtherRunsCheckpoint(outDirOf(options), options);
  await mkdir(dirname(resolve(outDirOf(options))), { recursive: true });
  const unlock = await lockCheckpointDir(outDirOf(options)); // one writer per --out
  try {
    return await trainLocked(options, resumed, reporter, control, wallStart);
  } finally {
    await unlock();
  }
}

/** --data (a file, folder of shards or glob) and --val exist; their contents are read later. */
async function checkInputsExist(options: TrainOptions): Promise<void> {
  if (options.data !== undefined) await resolveShardPaths(options.data);
  const val = options.val;
  if (val === undefined) return;
  try {
    await stat(val);
  } catch (err) {
    throw fileError(val, err);
  }
}

async function trainLocked(options: TrainOptions, resumed: LoadedCheckpoint | undefined, reporter: ProgressReporter, control: RunControl, wallStart: number): Promise<TrainResult> {
  const data = await openTrainingSource(sourceOptionsOf(options, resumed?.trainerState as TrainerState | undefined));
  const run = await setUpRun(options, data, resumed).catch(async (err: unknown) => {
    await data.close();
    throw err;
  });
  run.state.stream = data.stream ?? null;
  const { config, normalization, state } = run;
  // An engine that refuses the config fails before anything is printed about the data
  const fallbackNotes: string[] = [];
  const engine: SaeEngine = await createEngine(options.backend, { config, onFallback: (m) => fallbackNotes.push(m) }).catch(async (err: unknown) => {
    await data.close();
    throw err;
  });
  reporter.info(`data: ${data.description}`);
  reporter.info(`val:  ${data.valDescription}`);
  if (data.synthetic) reporter.info('note: the built-in demo data is synthetic (planted hierarchical concepts), not real CLIP embeddings');
  for (const m of fallbackNotes) reporter.info(`note: ${m}`);
  reporter.info(
    `${architectureLabel(config)} ${config.dIn} -> ${config.dSae}, ` +
      `k ${config.k}, nesting [${config.nesting.join(', ')}], batch ${state.batchSize}, lr ${state.lr}, ` +
      `epochs ${state.epochs}, engine ${engine.name}${options.resume ? `, resuming at epoch ${state.epoch + 1} step ${state.stepInEpoch}` : ''}`,
  );

  try {
    await engine.load({ config, params: run.params, adam: run.adam });
    const member = createMemberRun({
      name: run.outDir,
      config,
      normalization,
      params: run.params,
      state,
      outDir: run.outDir,
      engine,
      dataLabel: options.data ?? 'builtin:demo (synthetic)',
      valLabel: options.val ?? (options.data ? (data.mode === 'stream' ? 'holdout:stream' : 'holdout:10%') : 'builtin:demo-val (synthetic)'),
    });
    const outcome = await runMembers([member], data, reporter, control);
    if (outcome === 'interrupted') throw trainingInterrupted(run.outDir);
    reporter.stop();
    reporter.info('evaluating on the validation set ...');
    const val = await evaluateSae({ engine, x: data.val, normalization, ks: reportKs(config), cknnaRows: 1000 });
    await member.save(val);
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
    await data.close();
  }
}

/** Default shuffle window of a streamed run (two are held: the one served and the one being read). */
export const DEFAULT_SHUFFLE_BUFFER_MIB = 128;

/** How --data is read: from the options, or (resuming) exactly as the saved run read it. */
export function sourceOptionsOf(options: TrainOptions, prev: TrainerState | undefined): SourceOptions {
  const dataSeed = prev ? (prev.dataSeed ?? prev.seed) : (options.dataSeed ?? options.seed ?? DEFAULT_SEED);
  const windowBytes = Math.max(1, Math.round((options.shuffleBuffer ?? DEFAULT_SHUFFLE_BUFFER_MIB) * 2 ** 20));
  if (prev === undefined) return { data: options.data, val: options.val, dataSeed, streaming: options.streaming ?? 'auto', windowBytes };
  if (prev.stream) return { data: options.data, val: options.val, dataSeed, streaming: 'on', ...prev.stream };
  return { data: options.data, val: options.val, dataSeed, streaming: 'off', windowBytes };
}
