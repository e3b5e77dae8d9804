import { isMsaeError, MsaeError } from '@msae/core';

/**
 * A problem with a file or directory msae reads or writes (embedding files, checkpoint directories, output
 * paths): `message` is always `<file>: <problem>` on one line. CLIs print `message` alone (no stack) when
 * `err instanceof IoError` (or `isIoError(err)` across bundles); code reads `file` and `problem`, never the
 * message. An IoError is an `MsaeError` of `@msae/core`, so `isMsaeError` covers it too.
 */
export class IoError extends MsaeError {
  /** Marker that survives duplicated module copies (ESM + CJS builds). */
  readonly isIoError = true;
  /** Marker of the deprecated name, kept so `isEmbeddingFileError` of older copies still matches. */
  readonly isEmbeddingFileError = true;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(file, problem, options);
    this.name = 'IoError';
  }

  /** The file or directory the problem is about. */
  get file(): string {
    return this.subject;
  }

  /** An IoError about `file` from a typed core error (its problem kept, its subject replaced by `file`). */
  static from(file: string, err: MsaeError): IoError {
    return new IoError(file, err.problem, { cause: err });
  }
}

/** True for an IoError, also one thrown by another copy of this module. */
export function isIoError(err: unknown): err is IoError {
  return (
    err instanceof IoError ||
    (typeof err === 'object' &&
      err !== null &&
      ((err as { isIoError?: unknown }).isIoError === true || (err as { isEmbeddingFileError?: unknown }).isEmbeddingFileError === true))
  );
}

/**
 * A typed core error (`MsaeError`: bad safetensors header, bad cfg.json) as an IoError: about `file` when the
 * core error's subject is that file or absent, else about the core error's own subject (a file inside `file`).
 * Untyped errors (bugs) are returned unchanged.
 */
export function asIoError(file: string, err: unknown): unknown {
  if (isIoError(err) || !isMsaeError(err)) return err;
  return new IoError(err.subject || file, err.problem, { cause: err });
}
