import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CFG_FILE } from '@msae/core';
import { IoError } from '@msae/io';

/**
 * `train` does not replace another run's checkpoint unless told to: when `outDir` already holds a checkpoint
 * (cfg.json) and this run is not resuming that very directory, it needs --force (as `convert` does).
 */
export async function refuseOtherRunsCheckpoint(outDir: string, options: { resume?: string; force?: boolean }): Promise<void> {
  if (options.force) return;
  if (options.resume !== undefined && resolve(options.resume) === resolve(outDir)) return;
  const holds = await stat(join(outDir, CFG_FILE)).then(
    () => true,
    () => false,
  );
  if (holds) throw new IoError(outDir, `holds the checkpoint of another run; pass --force to replace it (or --resume ${outDir} to continue it)`);
}
