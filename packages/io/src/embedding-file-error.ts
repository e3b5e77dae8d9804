/**
 * A problem with an embedding file or checkpoint directory, worded for a one-line CLI message:
 * `message` is always `<file>: <problem>` with no newline. CLIs print `message` alone (no stack)
 * when `err instanceof EmbeddingFileError` (or `isEmbeddingFileError(err)` across bundles).
 */
export class EmbeddingFileError extends Error {
  /** The file or directory the problem is about. */
  readonly file: string;
  /** What is wrong with it (no file name). */
  readonly problem: string;
  /** Marker that survives duplicated module copies (ESM + CJS builds). */
  readonly isEmbeddingFileError = true;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${oneLine(problem)}`, options);
    this.name = 'EmbeddingFileError';
    this.file = file;
    this.problem = oneLine(problem);
  }
}

/** True for an EmbeddingFileError, also one thrown by another copy of this module. */
export function isEmbeddingFileError(err: unknown): err is EmbeddingFileError {
  return (
    err instanceof EmbeddingFileError ||
    (typeof err === 'object' && err !== null && (err as { isEmbeddingFileError?: unknown }).isEmbeddingFileError === true)
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
