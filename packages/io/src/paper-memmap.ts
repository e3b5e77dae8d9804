import { IoError } from './io-error.js';

/** Shape encoded in a paper-format memmap name `<anything>_<N>_<D>.npy`, or null. */
export function paperMemmapShape(fileName: string): { rows: number; cols: number } | null {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const match = /_(\d+)_(\d+)\.npy$/i.exec(base);
  if (!match) return null;
  return { rows: Number(match[1]), cols: Number(match[2]) };
}

/**
 * Check a headerless float32 memmap: its byte size must be rows * cols * 4. Throws a one-line
 * error naming expected and actual size.
 */
export function checkPaperMemmapSize(file: string, rows: number, cols: number, fileSize: number): void {
  const expected = rows * cols * 4; // N * D float32 values, no header
  if (cols === 0) throw new IoError(file, 'the name encodes dimension 0 (<name>_<N>_<D>.npy needs D > 0)');
  if (fileSize !== expected) {
    throw new IoError(
      file,
      `headerless float32 memmap of shape [${rows}, ${cols}] must be ${rows}*${cols}*4 = ${expected} bytes, file has ${fileSize} bytes`,
    );
  }
}

/** The name a paper-format memmap of this shape would carry: `<stem>_<N>_<D>.npy`. */
export function paperMemmapName(stem: string, rows: number, cols: number): string {
  return `${stem}_${rows}_${cols}.npy`;
}
