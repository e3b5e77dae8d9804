// @msae/training/node: what needs the file system (Node only).
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TrainingError } from './errors.js';
import type { SaeModel } from './sae-model.js';

/** Write a model's checkpoint directory (cfg.json + sae_weights.safetensors), creating missing parents; atomic via @msae/io. */
export async function saveModel(model: SaeModel, dir: string): Promise<void> {
  let io: { saveCheckpoint: (dir: string, c: ReturnType<SaeModel['checkpoint']>) => Promise<void> };
  try {
    io = (await import('@msae/io')) as unknown as typeof io;
  } catch (cause) {
    throw new TrainingError(dir, 'saving needs @msae/io (npm install @msae/io)', { cause });
  }
  const parent = dirname(resolve(dir));
  await mkdir(parent, { recursive: true }).catch((err: unknown) => {
    throw new TrainingError(dir, `cannot save: cannot create ${parent} (${(err as { code?: string }).code ?? String(err)})`);
  });
  await io.saveCheckpoint(dir, model.checkpoint());
}
