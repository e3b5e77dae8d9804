import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Checkpoint } from '@msae/core';
import { IoError } from '../io-error.js';
import { fileError } from '../fs-error.js';
import type { DetectedCheckpoint } from './detect-checkpoint.js';
import { decodeDictionaryLearningCheckpoint, isDictionaryLearningStateDict } from './dictionary-learning.js';
import type { CheckpointFormat } from './foreign-checkpoint.js';
import { decodePaperCheckpoint, isPaperCheckpoint } from './paper-pth.js';
import { decodeSaeLensCheckpoint } from './saelens.js';
import { readTorchFile } from './torch-file.js';

/** Read a checkpoint in a layout other than msae's (SAELens, the paper's .pth, dictionary_learning). */
export async function readForeignCheckpoint(found: Exclude<DetectedCheckpoint, { kind: 'msae' }>): Promise<{ checkpoint: Checkpoint; format: CheckpointFormat }> {
  switch (found.kind) {
    case 'saelens': {
      const weightsPath = `${found.dir}/sae_weights.safetensors`;
      const weights = await readBytes(weightsPath, 'not found (a SAELens directory holds cfg.json and sae_weights.safetensors)');
      return { checkpoint: decodeSaeLensCheckpoint(found.dir, found.cfgPath, found.cfg, weightsPath, weights), format: 'saelens' };
    }
    case 'dictionary-learning': {
      const state = readTorchFile(await readBytes(found.aePath, 'not found'), found.aePath);
      if (!isDictionaryLearningStateDict(state)) throw new IoError(found.aePath, 'not a dictionary_learning state_dict (no encoder.weight/decoder.weight or W_enc/W_dec)');
      const config = await readJsonIfPresent(found.configPath);
      return { checkpoint: decodeDictionaryLearningCheckpoint(found.dir, found.aePath, state, config, found.configPath), format: 'dictionary-learning' };
    }
    case 'torch-file': {
      const value = readTorchFile(await readBytes(found.file, 'not found'), found.file);
      if (isPaperCheckpoint(value)) return { checkpoint: decodePaperCheckpoint(found.file, value), format: 'paper-pth' };
      if (isDictionaryLearningStateDict(value)) {
        const configPath = join(dirname(found.file), 'config.json');
        const config = await readJsonIfPresent(configPath);
        return { checkpoint: decodeDictionaryLearningCheckpoint(found.file, found.file, value, config, configPath), format: 'dictionary-learning' };
      }
      throw new IoError(found.file, 'unknown PyTorch checkpoint layout (expected the MSAE paper\'s {"model": state_dict, "mean_center", "scaling_factor", ...} or a dictionary_learning state_dict)');
    }
  }
}

async function readBytes(path: string, missing: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ENOENT') throw new IoError(path, missing, { cause: err });
    throw fileError(path, err, 'cannot read');
  }
}

async function readJsonIfPresent(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ENOENT') return undefined;
    throw fileError(path, err, 'cannot read');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new IoError(path, `invalid JSON (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`, { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new IoError(path, 'expected a JSON object');
  return value as Record<string, unknown>;
}
