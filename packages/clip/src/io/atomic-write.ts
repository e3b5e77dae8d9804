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
 * one-line EmbeddingFileError naming `path` is thrown; an existing `path` is left untouched.
 */
export async function writeFileAtomic(path: string, parts: Uint8Array[]): Promise<void> {
  const temp = siblingTempPath(path);
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
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    if ((err as { code?: unknown })?.code === 'ENOENT') {
      throw fileError(path, new Error(`directory ${dirname(path)} does not exist`), 'cannot write');
    }
    throw fileError(path, err, 'cannot write');
  }
}
