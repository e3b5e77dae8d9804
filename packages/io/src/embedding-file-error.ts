import { IoError, isIoError } from './io-error.js';

/** @deprecated Renamed `IoError` (it covers checkpoints and output paths too); this alias will be removed. */
export const EmbeddingFileError = IoError;
/** @deprecated Renamed `IoError`. */
export type EmbeddingFileError = IoError;

/** @deprecated Use `isIoError`. */
export const isEmbeddingFileError: (err: unknown) => err is IoError = isIoError;
