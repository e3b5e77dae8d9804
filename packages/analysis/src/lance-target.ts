/**
 * Where a search index is built: a temporary sibling of the target directory, renamed into place only when
 * the build finished, so a failed or killed build never leaves a half-written index at the target. The target
 * must be absent, an empty directory, or an index built before (it holds the table directory); anything else
 * (a file, a directory with other contents) is refused before anything is written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AnalysisError } from './errors.js';

export interface LanceBuildTarget {
  /** The temporary directory to build in. */
  temp: string;
  /** Move the finished build into place (replacing an earlier index). */
  commit(): Promise<void>;
  /** Remove the temporary directory (after a failure). */
  discard(): Promise<void>;
}

/** Check `dir` and create the temporary build directory next to it. `tableDir` marks an existing index. */
export async function prepareLanceTarget(dir: string, tableDir: string): Promise<LanceBuildTarget> {
  const target = resolve(dir);
  const entries = await listTarget(dir, target);
  if (entries && entries.length > 0 && !entries.includes(tableDir)) {
    throw new AnalysisError(`${dir}: directory is not empty and holds no search index; refusing to write into it`);
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(dirname(target), `.${basename(target)}.tmp-${tag}`);
  try {
    await mkdir(temp);
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    throw new AnalysisError(`${dir}: cannot create the index${code === 'ENOENT' ? ` (parent directory ${dirname(target)} does not exist)` : code ? ` (${String(code)})` : ''}`);
  }
  return {
    temp,
    async commit() {
      const old = join(dirname(target), `.${basename(target)}.old-${tag}`);
      const replacing = entries !== null && (await listTarget(dir, target)) !== null;
      try {
        if (replacing) await rename(target, old);
        await rename(temp, target);
      } catch (err) {
        if (replacing) await rename(old, target).catch(() => undefined);
        await rm(temp, { recursive: true, force: true }).catch(() => undefined);
        throw new AnalysisError(`${dir}: cannot move the finished index into place (${(err as { code?: string })?.code ?? String(err)})`);
      }
      if (replacing) await rm(old, { recursive: true, force: true }).catch(() => undefined);
    },
    async discard() {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** The entries of `target`, null when it does not exist; refuses a path that is not a directory. */
async function listTarget(dir: string, target: string): Promise<string[] | null> {
  try {
    if (!(await stat(target)).isDirectory()) throw new AnalysisError(`${dir}: exists and is not a directory`);
    return await readdir(target);
  } catch (err) {
    if (err instanceof AnalysisError) throw err;
    if ((err as { code?: unknown })?.code === 'ENOENT') return null;
    throw new AnalysisError(`${dir}: cannot read (${(err as { code?: string })?.code ?? String(err)})`);
  }
}
