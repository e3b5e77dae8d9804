/**
 * One writer per --out: a lock directory next to the checkpoint directory (`.DIR.lock`, outside DIR, which
 * saves replace by rename) held with proper-lockfile, which refreshes its mtime while the run lives, so the
 * lock of a killed run goes stale and is taken over (at once when its holder is a dead process on this host).
 * The holder (pid, host, start time) is written next to it (`.DIR.lock.json`), so a second writer is refused
 * with one line naming it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { IoError } from '@msae/io';
import lockfile from 'proper-lockfile';

interface Holder {
  pid: number;
  host: string;
  started: string;
}

/** The lock directory of checkpoint directory `dir`. */
export function lockPathOf(dir: string): string {
  const target = resolve(dir);
  return join(dirname(target), `.${basename(target)}.lock`);
}

/**
 * Take the lock on `dir` (its parent must exist); resolves with the release function. Another live run holding
 * it: an IoError about `dir` naming its pid, host and start time.
 */
export async function lockCheckpointDir(dir: string, options: { staleMs?: number } = {}): Promise<() => Promise<void>> {
  const lockPath = lockPathOf(dir);
  const holderPath = `${lockPath}.json`;
  const target = resolve(dir);
  const take = () =>
    lockfile.lock(target, { lockfilePath: lockPath, realpath: false, stale: options.staleMs ?? 60_000, retries: 0, onCompromised: () => undefined });
  let release: () => Promise<void>;
  try {
    release = await take().catch(async (err: unknown) => {
      const holder = (err as { code?: unknown })?.code === 'ELOCKED' ? await readHolder(holderPath) : undefined;
      if (!holder || holder.host !== hostname() || isAlive(holder.pid)) throw err;
      await rm(lockPath, { recursive: true, force: true }); // its holder was killed (proper-lockfile unlocks only its own locks)
      return take();
    });
  } catch (err) {
    if ((err as { code?: unknown })?.code !== 'ELOCKED') throw new IoError(dir, `cannot lock (${(err as Error).message})`, { cause: err });
    const holder = await readHolder(holderPath);
    const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.started}` : 'another process';
    throw new IoError(dir, `in use by another training run (${who}); wait for it to finish or choose another --out`, { cause: err });
  }
  const holder: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  await writeFile(holderPath, `${JSON.stringify(holder)}\n`).catch(() => undefined);
  return async () => {
    await rm(holderPath, { force: true }).catch(() => undefined);
    await release().catch(() => undefined);
  };
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown })?.code === 'EPERM';
  }
}
