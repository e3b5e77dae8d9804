import { mkdir, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { siblingTempPath } from './atomic-write.js';
import { IoError } from './io-error.js';
import { fileError } from './fs-error.js';

export interface OutputPathOptions {
  /** What will be written at `path`: a file (writeFileAtomic) or a directory (saveCheckpoint, reports). */
  kind: 'file' | 'directory';
  /** The writer creates missing parent directories (mkdir -p); otherwise the parent must exist. */
  createsParents?: boolean;
}

/**
 * Check, before a long run, that `path` can be written later: it is not the wrong kind of entry, its parent
 * exists (or, with `createsParents`, its nearest existing ancestor is a directory) and that directory accepts
 * new entries (probed by creating and removing an empty temporary directory). Nothing is left behind.
 * Throws a one-line IoError naming `path`.
 */
export async function checkOutputPath(path: string, options: OutputPathOptions): Promise<void> {
  const target = resolve(path);
  const existing = await stat(target).catch((err: unknown) => {
    const code = (err as { code?: unknown })?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw fileError(path, err, 'cannot write');
  });
  if (existing && options.kind === 'directory' && !existing.isDirectory()) throw new IoError(path, 'cannot write: exists and is not a directory');
  if (existing && options.kind === 'file' && existing.isDirectory()) throw new IoError(path, 'cannot write: is a directory, expected a file');
  let dir = dirname(target);
  for (;;) {
    const info = await stat(dir).catch((err: unknown) => {
      if ((err as { code?: unknown })?.code === 'ENOENT' || (err as { code?: unknown })?.code === 'ENOTDIR') return null;
      throw fileError(path, err, 'cannot write');
    });
    if (info?.isDirectory()) break;
    if (info) throw new IoError(path, `cannot write: ${dir} is not a directory`);
    if (!options.createsParents) throw new IoError(path, `cannot write: directory ${dir} does not exist`);
    if (dirname(dir) === dir) throw new IoError(path, 'cannot write: no existing parent directory');
    dir = dirname(dir);
  }
  const probe = siblingTempPath(join(dir, basename(target)), 'probe');
  try {
    await mkdir(probe);
  } catch (err) {
    throw fileError(path, err, `cannot write in ${dir}`);
  }
  await rmdir(probe).catch(() => undefined);
}
