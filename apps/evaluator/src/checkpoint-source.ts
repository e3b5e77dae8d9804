import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Checkpoint } from '@msae/core';
import { isIoError, loadCheckpoint } from '@msae/io';
import { CliError, oneLineMessage } from './cli-error.js';

/** A loaded checkpoint directory and the short name used in tables, JSON and plots. */
export interface LoadedCheckpoint {
  name: string;
  dir: string;
  checkpoint: Checkpoint;
}

/** Load a checkpoint directory, turning every failure into a one-line CliError that names the directory. */
export async function openCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  try {
    await stat(dir); // a directory (msae, SAELens, dictionary_learning) or a .pth/.pt file: loadCheckpoint tells
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${dir}: checkpoint directory not found`);
  }
  try {
    const checkpoint: Checkpoint = await loadCheckpoint(dir);
    return { name: basename(resolve(dir)), dir, checkpoint };
  } catch (error) {
    if (isIoError(error)) throw error; // already one line naming the file
    throw new CliError(`${dir}: ${oneLineMessage(error)}`);
  }
}

/** Give checkpoints unique names: the directory's basename, or the path as given when basenames collide. */
export function uniqueNames(checkpoints: LoadedCheckpoint[]): void {
  const counts = new Map<string, number>();
  for (const c of checkpoints) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  for (const c of checkpoints) if ((counts.get(c.name) ?? 0) > 1) c.name = c.dir;
}
