import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileError } from './fs-error.js';

/** A temporary sibling path of `target` (same directory, so rename is atomic): `.<name>.<tag>-<pid>-<hex>`. */
export function siblingTempPath(target: string, tag = 'tmp'): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Write all of `bytes` to an open file handle at `position`, looping over partial writes. */
export async function writeFully(
  handle: import('node:fs/promises').FileHandle,
  bytes: Uint8Array,
  position: number,
): Promise<void> {
  const maxPiece = 1 << 30;
  let done = 0;
  while (done < bytes.byteLength) {
    const length = Math.min(maxPiece, bytes.byteLength - done);
    const { bytesWritten } = await handle.write(bytes, done, length, position + done);
    done += bytesWritten;
  }
}

/**
 * Write `parts` (concatenated) to `path` atomically: a temporary file in the same directory is
 * written, fsynced and renamed over `path`. On any failure the temporary file is removed and a
 * one-line IoError naming `path` is thrown; an existing `path` is left untouched.
 */
export async function writeFileAtomic(path: string, parts: Uint8Array[]): Promise<void> {
  await writeFilesAtomic([{ path, parts }]);
}

/**
 * Write several files as one unit (e.g. embeddings and their sidecar): every file is first written and
 * fsynced to a temporary sibling; only when all of them succeeded are they renamed into place. On a failure
 * every temporary file is removed and no target is touched, so the set is never left half-written.
 */
export async function writeFilesAtomic(files: { path: string; parts: Uint8Array[] }[]): Promise<void> {
  const temps: string[] = [];
  try {
    for (const f of files) {
      const temp = siblingTempPath(f.path);
      temps.push(temp);
      await writeTemp(f.path, temp, f.parts);
    }
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => undefined)));
    throw err;
  }
  for (let i = 0; i < files.length; i++) {
    try {
      await rename(temps[i], files[i].path);
    } catch (err) {
      await Promise.all(temps.slice(i).map((t) => rm(t, { force: true }).catch(() => undefined)));
      throw fileError(files[i].path, err, 'cannot write');
    }
  }
}

async function writeTemp(path: string, temp: string, parts: Uint8Array[]): Promise<void> {
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    let position = 0;
    for (const part of parts) {
      await writeFully(handle, part, position);
      position += part.byteLength;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    if ((err as { code?: unknown })?.code === 'ENOENT') {
      throw fileError(path, new Error(`directory ${dirname(path)} does not exist`), 'cannot write');
    }
    throw fileError(path, err, 'cannot write');
  }
}
