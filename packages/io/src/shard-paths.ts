import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { IoError } from './io-error.js';
import { fileError } from './fs-error.js';

/** File names read as embedding shards when `--data` names a directory. */
const SHARD_NAME = /\.(npy|safetensors)$/i;

/** Natural order, so shard_2 comes before shard_10. */
const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The embedding files a `--data` value names: one file, every `.npy`/`.safetensors` file directly inside a
 * directory, or the files a glob matches (tinyglobby syntax: `shards/*.npy`, `data/{a,b}_*.npy`), in natural
 * name order. One-line IoError when nothing matches.
 */
export async function resolveShardPaths(spec: string): Promise<string[]> {
  if (isDynamicPattern(spec)) {
    const found = await glob(spec, { onlyFiles: true, absolute: isAbsolute(spec), expandDirectories: false });
    if (found.length === 0) throw new IoError(spec, 'the glob matches no files');
    return found.sort(naturalOrder);
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(spec);
  } catch (err) {
    throw fileError(spec, err);
  }
  if (!info.isDirectory()) return [spec];
  const names = (await readdir(spec)).filter((n) => SHARD_NAME.test(n)).sort(naturalOrder);
  if (names.length === 0) throw new IoError(spec, 'directory holds no .npy or .safetensors shards');
  return names.map((n) => join(spec, n));
}
