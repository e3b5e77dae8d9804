import { ArgumentError } from '@msae/core';
/** The paper's progressive evaluation budgets: 16, 32, 64, ... doubling while <= dSae, then dSae itself. */
export function progressiveKs(dSae: number, start = 16): number[] {
  if (!Number.isInteger(dSae) || dSae < 1) throw new ArgumentError(`progressiveKs`, `dSae must be a positive integer, got ${dSae}`);
  const ks: number[] = [];
  for (let k = start; k <= dSae; k *= 2) ks.push(k);
  if (ks[ks.length - 1] !== dSae) ks.push(dSae);
  return ks;
}
