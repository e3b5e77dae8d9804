import { isMsaeError } from '@msae/core';
import { resolve } from 'node:path';
import { AnalysisError } from './errors.js';

/**
 * A LanceDB (Rust) error as one line about `dir`: the first message of its "Caused by" chain, without the
 * `lance error: LanceError(IO):` wrappers, the Rust source locations (`/usr/local/cargo/.../x.rs:12:34`, `/rustc/<hash>/library/...`,
 * `location: Location {...}`) and with the leading `/` LanceDB's object store drops from absolute paths restored.
 */
export function lanceProblem(dir: string, err: unknown, alias?: string): string {
  let text = (err instanceof Error ? err.message : String(err)).split(/\s*Caused by:/)[0];
  text = text
    .replace(/,?\s*location: Location \{[^}]*\}/g, '')
    .replace(/,?\s*\/\S+?\.rs:\d+:\d+/g, '')
    .replace(/\b(?:lance error|lancedb error):\s*/gi, '')
    .replace(/\bLanceError\(\w+\):\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (alias) text = text.split(resolve(alias)).join(resolve(dir)).split(resolve(alias).slice(1)).join(resolve(dir));
  const abs = resolve(dir);
  if (abs.startsWith('/')) text = text.replace(new RegExp(`(^|[^/\\w])${escapeRegExp(abs.slice(1))}`, 'g'), `$1${abs}`);
  return text || 'LanceDB failed without a message';
}

/**
 * Run a LanceDB call; its errors become one-line AnalysisErrors `<dir>: <problem>` (msae's own pass through).
 * `alias` (a temporary build directory) is written as `dir` in the problem.
 */
export async function withLanceErrors<T>(dir: string, work: () => Promise<T>, alias?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AnalysisError || isMsaeError(err)) throw err; // ours (e.g. a bad row of the source) name their own file
    throw new AnalysisError(`${dir}: ${lanceProblem(dir, err, alias)}`);
  }
}

/**
 * LanceDB logs through env_logger under LANCEDB_LOG, printing WARN lines by default. Unless the user asked for
 * logs (LANCEDB_LOG, or LANCE_LOG / RUST_LOG, which are passed on), they are switched off before it loads.
 */
export function quietLanceLogs(env: NodeJS.ProcessEnv = process.env): void {
  if (env.LANCEDB_LOG !== undefined) return;
  env.LANCEDB_LOG = env.LANCE_LOG ?? env.RUST_LOG ?? 'off';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
