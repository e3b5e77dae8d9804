import { IoError, isIoError } from './io-error.js';

const PROBLEMS: Record<string, string> = {
  ENOENT: 'not found',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a path component is not a directory',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EMFILE: 'too many open files',
};

/**
 * Turn a Node file-system error (or anything thrown) into a one-line IoError about
 * `file`, prefixed with what was being done ("cannot write"). IoErrors pass through.
 */
export function fileError(file: string, err: unknown, doing?: string): IoError {
  if (isIoError(err)) return err;
  const code = (err as { code?: unknown })?.code;
  const known = typeof code === 'string' ? PROBLEMS[code] : undefined;
  const detail = known ?? (err instanceof Error ? err.message : String(err));
  return new IoError(file, doing ? `${doing}: ${detail}` : detail, { cause: err });
}
