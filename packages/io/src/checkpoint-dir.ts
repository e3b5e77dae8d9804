import { CFG_FILE, OPTIMIZER_FILE, WEIGHTS_FILE, decodeCheckpoint, decodeOptimizerState, encodeCheckpoint, encodeOptimizerState, validateParams, type AdamState, type Checkpoint, isMsaeError } from '@msae/core';
import { TRAINER_STATE_FILE } from '@msae/core/internal';
import type { Stats } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { siblingTempPath, writeFully } from './atomic-write.js';
import { holdStage, recoverCheckpoint, stagePath, swapIntoPlace } from './checkpoint-swap.js';
import { IoError, isIoError } from './io-error.js';
import { fileError } from './fs-error.js';
import { checkOutputPath } from './output-path.js';
import { detectCheckpoint } from './checkpoint-formats/detect-checkpoint.js';
import type { CheckpointFormat } from './checkpoint-formats/foreign-checkpoint.js';
import { readForeignCheckpoint } from './checkpoint-formats/read-foreign.js';

/** The files a checkpoint directory is made of. */
export const CHECKPOINT_FILES = [CFG_FILE, WEIGHTS_FILE, OPTIMIZER_FILE, TRAINER_STATE_FILE] as const;

export interface SaveCheckpointOptions {
  /** AdamW moments and step, saved as optimizer_state.safetensors (for --resume). */
  optimizer?: AdamState;
  /** Trainer progress (epoch, step, RNG state, ...), saved as trainer_state.json (for --resume). */
  trainerState?: Record<string, unknown>;
}

/** A loaded checkpoint with the resume state when the directory holds it. */
export interface LoadedCheckpoint extends Checkpoint {
  /** The layout it was read from (always set by loadCheckpoint). */
  format?: CheckpointFormat;
  optimizer?: AdamState;
  trainerState?: Record<string, unknown>;
}

export interface LoadCheckpointOptions {
  /** Require optimizer_state.safetensors and trainer_state.json (a resumable checkpoint). */
  resume?: boolean;
}

/**
 * Save a checkpoint directory atomically: cfg.json + sae_weights.safetensors (+ optimizer_state.safetensors
 * and trainer_state.json when given) are encoded first (bad input fails before any write), written and
 * fsynced into a temporary sibling directory, which then replaces `dir` (see ./checkpoint-swap.ts: a kill at
 * any instant leaves the old or the new checkpoint, which the next save or load puts back at `dir`). An
 * existing `dir` must be empty or a checkpoint (holds cfg.json); files in it that are not checkpoint files
 * (reports, logs) are moved into the new directory. On failure `dir` is left as it was and nothing else remains.
 */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint, options: SaveCheckpointOptions = {}): Promise<void> {
  const files = encodeCheckpointFiles(dir, checkpoint, options);
  const target = resolve(dir);
  await recoverCheckpoint(target);
  await inspectTarget(dir, target);
  const temp = siblingTempPath(target, 'tmp');
  const fresh = stagePath(target, 'new', temp);
  const releases = [holdStage(temp), holdStage(fresh)];
  try {
    try {
      await mkdir(temp);
      for (const [name, bytes] of files) await writeSynced(join(temp, name), bytes);
      await syncDirectory(temp);
      await rename(temp, fresh); // complete: from here on a kill leaves a checkpoint recovery swaps in
    } catch (err) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      if ((err as { code?: unknown })?.code === 'ENOENT') {
        throw new IoError(dir, `cannot save checkpoint: parent directory ${dirname(target)} does not exist`, { cause: err });
      }
      throw fileError(dir, err, 'cannot save checkpoint');
    }
    try {
      await swapIntoPlace(dir, target, fresh, CHECKPOINT_FILES);
    } catch (err) {
      await rm(fresh, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  } finally {
    for (const release of releases) release();
  }
}

/**
 * Check, before training, that saveCheckpoint(dir) will be allowed: `dir` is absent, empty or a checkpoint,
 * and its parent (or, with `createsParents`, the nearest existing ancestor) is a writable directory.
 * Throws the same one-line IoError naming `dir` that saving would; writes nothing.
 */
export async function checkCheckpointTarget(dir: string, options: { createsParents?: boolean } = {}): Promise<void> {
  await recoverCheckpoint(resolve(dir));
  await checkOutputPath(dir, { kind: 'directory', createsParents: options.createsParents });
  await inspectTarget(dir, resolve(dir));
}

/** Encode every file of the checkpoint in memory; one-line errors about `dir` for bad input. */
function encodeCheckpointFiles(dir: string, checkpoint: Checkpoint, options: SaveCheckpointOptions): [string, Uint8Array][] {
  try {
    const { cfgJson, weights } = encodeCheckpoint(checkpoint);
    const files: [string, Uint8Array][] = [
      [CFG_FILE, new TextEncoder().encode(cfgJson)],
      [WEIGHTS_FILE, weights],
    ];
    if (options.optimizer) {
      validateParams(checkpoint.config, options.optimizer.m, 'optimizer.m');
      validateParams(checkpoint.config, options.optimizer.v, 'optimizer.v');
      files.push([OPTIMIZER_FILE, encodeOptimizerState(options.optimizer)]);
    }
    if (options.trainerState !== undefined) {
      files.push([TRAINER_STATE_FILE, new TextEncoder().encode(JSON.stringify(options.trainerState, null, 2) + '\n')]);
    }
    return files;
  } catch (err) {
    throw new IoError(dir, `cannot save checkpoint: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** What is at the target path now: nothing, or a directory (with its entries) that may be replaced. */
async function inspectTarget(dir: string, target: string): Promise<string[] | null> {
  let info: Stats;
  try {
    info = await stat(target);
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ENOENT') return null;
    throw fileError(dir, err, 'cannot save checkpoint');
  }
  if (!info.isDirectory()) throw new IoError(dir, 'cannot save checkpoint: exists and is not a directory');
  const entries = await readdir(target).catch((err: unknown) => {
    throw fileError(dir, err, 'cannot save checkpoint');
  });
  if (entries.length > 0 && !entries.includes(CFG_FILE)) {
    throw new IoError(dir, `cannot save checkpoint: directory is not empty and holds no ${CFG_FILE}; refusing to replace it`);
  }
  return entries;
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await writeFully(handle, bytes, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a directory so its entries are durable before the rename (best effort: not every platform allows it). */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/**
 * Load a checkpoint: an msae directory (cfg.json with "format": "msae" + sae_weights.safetensors, validated
 * against each other by @msae/core, plus optimizer_state.safetensors and trainer_state.json when present,
 * required with `resume`), or one written by another tool (see ./checkpoint-formats): a SAELens directory,
 * the MSAE paper's .pth file, or a dictionary_learning ae.pt (+ config.json). `format` says which was read.
 * Every problem is a one-line IoError naming the directory or file.
 */
export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  await recoverCheckpoint(path);
  const found = await detectCheckpoint(path, options.resume);
  if (found.kind !== 'msae') {
    if (options.resume) {
      const where = found.kind === 'torch-file' ? found.file : found.dir;
      throw new IoError(where, `not a resumable checkpoint (it is not an msae directory; convert it with msae-eval convert, then train from scratch)`);
    }
    const { checkpoint, format } = await readForeignCheckpoint(found);
    return { ...checkpoint, format };
  }
  const { dir: base, cfgPath, cfgJson } = found; // core names files `${base}/cfg.json`
  const weightsPath = `${base}/${WEIGHTS_FILE}`;
  const weights = await readRequired(weightsPath, 'not found');
  const checkpoint: LoadedCheckpoint = withCoreErrors([cfgPath, weightsPath], base, () => decodeCheckpoint(cfgJson, weights, base));
  checkpoint.format = 'msae';

  const dir = path;
  const optimizerPath = `${base}/${OPTIMIZER_FILE}`;
  const optimizerBytes = await readOptional(optimizerPath, options.resume ? `not found (${dir} is not a resumable checkpoint)` : undefined);
  if (optimizerBytes) {
    checkpoint.optimizer = withCoreErrors([optimizerPath], dir, () => decodeOptimizerState(optimizerBytes, checkpoint.config, optimizerPath));
  }
  const statePath = `${base}/${TRAINER_STATE_FILE}`;
  const stateBytes = await readOptional(statePath, options.resume ? `not found (${dir} is not a resumable checkpoint)` : undefined);
  if (stateBytes) checkpoint.trainerState = parseJsonObject(statePath, stateBytes);
  return checkpoint;
}

async function readRequired(path: string, missing: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ENOENT') throw new IoError(path, missing, { cause: err });
    throw fileError(path, err, 'cannot read');
  }
}

/** The file's bytes, or undefined when absent (an error with `missing` as problem when given). */
async function readOptional(path: string, missing?: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ENOENT') {
      if (missing) throw new IoError(path, missing, { cause: err });
      return undefined;
    }
    throw fileError(path, err, 'cannot read');
  }
}

function parseJsonObject(path: string, bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new IoError(path, `invalid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new IoError(path, 'expected a JSON object');
  return value as Record<string, unknown>;
}

/** Run core decoding whose errors read `<file>: <problem>`; rethrow as IoError about that file. */
function withCoreErrors<T>(files: string[], dir: string, body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (isIoError(err)) throw err;
    // typed core errors name the file they are about (their subject); untyped ones are bugs
    if (isMsaeError(err) && files.includes(err.subject)) throw new IoError(err.subject, err.problem, { cause: err });
    throw new IoError(dir, err instanceof Error ? err.message : String(err), { cause: err });
  }
}
