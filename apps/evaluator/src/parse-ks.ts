import { InvalidArgumentError } from 'commander';

/**
 * Parse `--k 16,32,all`: positive integers, or `all` / `max` for every positive code (Infinity, reported as d_sae).
 * Duplicates are removed and the list is sorted.
 */
export function parseKs(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new InvalidArgumentError(`expected a comma-separated list of positive integers (or 'all'), got '${text}'`);
  }
  const ks = parts.map((p) => {
    if (p === 'all' || p === 'max') return Infinity;
    if (!/^\d+$/.test(p) || Number(p) < 1) {
      throw new InvalidArgumentError(`'${p}' is not a positive integer (use e.g. 16,32,64 or 'all')`);
    }
    return Number(p);
  });
  return [...new Set(ks)].sort((a, b) => a - b);
}
