/**
 * Replacing a checkpoint directory so that a kill at any instant leaves a complete checkpoint: Node has no
 * exchange rename (renameat2 RENAME_EXCHANGE), so the swap is a sequence whose every intermediate state the
 * next run or reader can finish. Siblings of DIR, named `.DIR.<stage>-<pid>-<hex>`:
 *   1. `.DIR.tmp-*`  being written (incomplete);
 *   2. `.DIR.new-*`  complete and fsynced (renamed from tmp: the rename is the completion mark);
 *   3. extra files of DIR (reports, logs) moved into `.DIR.new-*`;
 *   4. DIR renamed to `.DIR.old-*`   <- a kill here leaves no DIR, but a complete `.DIR.new-*`
 *   5. `.DIR.new-*` renamed to DIR;
 *   6. `.DIR.old-*` removed.
 * recoverCheckpoint(DIR) finishes what a dead writer left: a `.DIR.new-*` is swapped in (steps 3-6), a
 * `.DIR.old-*` restored when DIR is missing and removed otherwise, a `.DIR.tmp-*` removed. Leftovers of a
 * process that is still running (same host) are left alone, so a reader never races a live writer.
 */
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CFG_FILE, OPTIMIZER_FILE, WEIGHTS_FILE } from '@msae/core';
import { TRAINER_STATE_FILE } from '@msae/core/internal';
import { fileError } from './fs-error.js';

/** The checkpoint files a save writes (anything else in DIR is carried over). */
export type CheckpointFileNames = readonly string[];

/** Leftovers this process is writing right now (never recovered from under it). */
const ownActive = new Set<string>();

/** Mark `path` as a swap stage this process is working on (until `release`). */
export function holdStage(path: string): () => void {
  ownActive.add(path);
  return () => ownActive.delete(path);
}

/**
 * Steps 3-6: swap the complete directory `fresh` into `target`, carrying over entries of the old directory
 * that are neither checkpoint files nor written by the new one. `dir` names the checkpoint in errors.
 * When a step fails (not a kill), the steps before it are undone.
 */
export async function swapIntoPlace(dir: string, target: string, fresh: string, checkpointFiles: CheckpointFileNames): Promise<void> {
  const existing = await readdir(target).catch((err: unknown) => {
    if ((err as { code?: unknown })?.code === 'ENOENT') return null;
    throw fileError(dir, err, 'cannot save checkpoint');
  });
  if (existing === null) {
    try {
      await rename(fresh, target);
      return;
    } catch (err) {
      throw fileError(dir, err, 'cannot save checkpoint');
    }
  }
  const written = new Set(await readdir(fresh).catch(() => [] as string[]));
  const extras = existing.filter((name) => !checkpointFiles.includes(name) && !written.has(name));
  const moved: string[] = [];
  const backup = stagePath(target, 'old', fresh);
  const release = holdStage(backup);
  let backedUp = false;
  try {
    for (const name of extras) {
      await rename(join(target, name), join(fresh, name));
      moved.push(name);
    }
    await rename(target, backup);
    backedUp = true;
    await rename(fresh, target);
  } catch (err) {
    if (backedUp) await rename(backup, target).catch(() => undefined);
    for (const name of moved) await rename(join(fresh, name), join(target, name)).catch(() => undefined);
    release();
    throw fileError(dir, err, 'cannot save checkpoint');
  }
  await rm(backup, { recursive: true, force: true }).catch(() => undefined);
  release();
}

/** The sibling of `target` for `stage`, sharing the pid-hex suffix of `like` (`.DIR.tmp-<pid>-<hex>`). */
export function stagePath(target: string, stage: 'tmp' | 'new' | 'old', like: string): string {
  const suffix = /-(\d+-[0-9a-f]+)$/.exec(basename(like))?.[1] ?? `${process.pid}-0`;
  return join(dirname(target), `.${basename(target)}.${stage}-${suffix}`);
}

interface Leftover {
  path: string;
  stage: 'tmp' | 'new' | 'old';
  pid: number;
  mtimeMs: number;
}

/**
 * Finish or clean up what a killed save of `path` left behind (see the file comment). Quiet and best effort:
 * a parent that cannot be listed, or a leftover that cannot be moved, is left for a later run.
 */
export async function recoverCheckpoint(path: string): Promise<void> {
  const target = path.replace(/(.)[\\/]+$/, '$1');
  const parent = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = (await readdir(parent)).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  const leftovers: Leftover[] = [];
  for (const name of names) {
    const m = /^(tmp|new|old)-(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const full = join(parent, name);
    if (ownActive.has(full) || isAlive(Number(m[2]))) continue;
    const info = await stat(full).catch(() => undefined);
    if (info?.isDirectory()) leftovers.push({ path: full, stage: m[1] as Leftover['stage'], pid: Number(m[2]), mtimeMs: info.mtimeMs });
  }
  if (leftovers.length === 0) return;
  const of = (stage: Leftover['stage']) => leftovers.filter((l) => l.stage === stage).sort((a, b) => b.mtimeMs - a.mtimeMs);
  try {
    // a complete new checkpoint: the newest one is swapped in (it was about to be), older ones dropped
    const [newest, ...older] = of('new');
    if (newest) await swapIntoPlace(path, target, newest.path, CHECKPOINT_LIKE_FILES);
    for (const l of older) await rm(l.path, { recursive: true, force: true });
    const targetExists = await stat(target).then(
      () => true,
      () => false,
    );
    const [latestOld, ...olderOld] = of('old');
    if (latestOld && !targetExists) await rename(latestOld.path, target);
    else if (latestOld) await rm(latestOld.path, { recursive: true, force: true });
    for (const l of olderOld) await rm(l.path, { recursive: true, force: true });
    for (const l of of('tmp')) await rm(l.path, { recursive: true, force: true });
  } catch {
    // left for a later run; the checkpoint at `path` is whatever the steps above reached
  }
}

/** Files that belong to a checkpoint, not carried over when a recovered new checkpoint replaces an old one. */
const CHECKPOINT_LIKE_FILES = [CFG_FILE, WEIGHTS_FILE, OPTIMIZER_FILE, TRAINER_STATE_FILE];

/** Is process `pid` running on this host? (EPERM: it exists, owned by someone else.) */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own leftovers not in ownActive are from an abandoned save
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown })?.code === 'EPERM';
  }
}
