/**
 * Which checkpoint layout a path holds, decided from file names and cfg.json's "format" key (no guessing
 * from weights): a directory with cfg.json is msae's when cfg.json says "format": "msae" and SAELens'
 * otherwise; a directory with ae.pt is dictionary_learning's; a .pth/.pt file (or a directory holding
 * exactly one) is a torch.save checkpoint, the paper's or dictionary_learning's by its contents.
 */
import type { Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { IoError } from '../io-error.js';
import { fileError } from '../fs-error.js';

export type DetectedCheckpoint =
  | { kind: 'msae'; dir: string; cfgPath: string; cfgJson: string }
  | { kind: 'saelens'; dir: string; cfgPath: string; cfg: Record<string, unknown> }
  | { kind: 'dictionary-learning'; dir: string; aePath: string; configPath: string }
  | { kind: 'torch-file'; file: string };

const TORCH_EXTENSIONS = new Set(['.pth', '.pt', '.bin', '.ckpt']);

/**
 * Find the checkpoint layout at `path`; one-line IoErrors naming the path or the missing file.
 * `directoryOnly` (resuming: only msae directories qualify) refuses a file as "not a directory".
 */
export async function detectCheckpoint(path: string, directoryOnly = false): Promise<DetectedCheckpoint> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'ENOENT') {
      throw new IoError(path, TORCH_EXTENSIONS.has(extname(path).toLowerCase()) ? 'checkpoint file not found' : 'checkpoint directory not found', { cause: err });
    }
    throw fileError(path, err);
  }
  if (info.isFile() && !directoryOnly) {
    const name = basename(path);
    if (name === 'cfg.json' || name === 'sae_weights.safetensors' || name === 'config.json') return detectCheckpoint(dirname(path));
    if (TORCH_EXTENSIONS.has(extname(path).toLowerCase())) return { kind: 'torch-file', file: path };
    throw new IoError(path, 'not a directory (expected a checkpoint directory, or a PyTorch .pth/.pt checkpoint file)');
  }
  if (!info.isDirectory()) throw new IoError(path, 'not a directory (expected a checkpoint directory)');
  const dir = path.replace(/(.)[\\/]+$/, '$1');
  const entries = await readdir(dir).catch((err: unknown) => {
    throw fileError(dir, err, 'cannot read');
  });
  if (entries.includes('cfg.json')) {
    const cfgPath = `${dir}/cfg.json`;
    const cfgJson = await readFile(cfgPath, 'utf8').catch((err: unknown) => {
      throw fileError(cfgPath, err, 'cannot read');
    });
    let cfg: unknown;
    try {
      cfg = JSON.parse(cfgJson);
    } catch (err) {
      throw new IoError(cfgPath, `invalid JSON (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`, { cause: err });
    }
    if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) throw new IoError(cfgPath, 'expected a JSON object');
    if ((cfg as Record<string, unknown>).format === 'msae') return { kind: 'msae', dir, cfgPath, cfgJson };
    return { kind: 'saelens', dir, cfgPath, cfg: cfg as Record<string, unknown> };
  }
  if (entries.includes('ae.pt')) return { kind: 'dictionary-learning', dir, aePath: join(dir, 'ae.pt'), configPath: join(dir, 'config.json') };
  const torchFiles = entries.filter((e) => TORCH_EXTENSIONS.has(extname(e).toLowerCase()));
  if (torchFiles.length === 1) return { kind: 'torch-file', file: join(dir, torchFiles[0]) };
  if (torchFiles.length > 1) throw new IoError(dir, `holds ${torchFiles.length} PyTorch files (${torchFiles.slice(0, 3).join(', ')}${torchFiles.length > 3 ? ', ...' : ''}); name one of them`);
  throw new IoError(
    `${dir}/cfg.json`,
    `not found (is ${dir} a checkpoint directory?); msae reads cfg.json + sae_weights.safetensors, ae.pt + config.json, or a .pth file`,
  );
}
