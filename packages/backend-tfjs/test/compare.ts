/** Euclidean distance ||a - b||. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** ||a - b|| / ||b|| (the plain distance when b is zero). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let norm = 0;
  for (let i = 0; i < b.length; i++) norm += b[i] ** 2;
  const d = distance(a, b);
  return norm === 0 ? d : d / Math.sqrt(norm);
}
