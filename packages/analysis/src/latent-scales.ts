import { AnalysisError } from './errors.js';
import type { SparseCodes } from './sparse-codes.js';

/**
 * Each latent's observed activation distribution over a reference set (the rows where it fires): the
 * units steering strengths are given in. Positive codes of latent j are kept sorted, so any quantile is a lookup.
 */
export interface LatentScales {
  dSae: number;
  /** Reference rows the scales were measured on. */
  rows: number;
  /** latent j's positive codes, ascending, are values[indptr[j] .. indptr[j+1]) */
  indptr: Uint32Array;
  values: Float32Array;
}

/** Collect every latent's positive codes (CSR rows -> per-latent sorted lists). */
export function latentScales(codes: SparseCodes): LatentScales {
  const { dSae } = codes;
  const counts = new Uint32Array(dSae + 1);
  for (let e = 0; e < codes.indptr[codes.rows]; e++) if (codes.values[e] > 0) counts[codes.indices[e] + 1]++;
  for (let j = 0; j < dSae; j++) counts[j + 1] += counts[j];
  const indptr = counts.slice();
  const fill = counts.slice(0, dSae);
  const values = new Float32Array(indptr[dSae]);
  for (let e = 0; e < codes.indptr[codes.rows]; e++) {
    const v = codes.values[e];
    if (v > 0) values[fill[codes.indices[e]]++] = v;
  }
  for (let j = 0; j < dSae; j++) values.subarray(indptr[j], indptr[j + 1]).sort();
  return { dSae, rows: codes.rows, indptr, values };
}

/** How many reference rows latent j fires on. */
export function firingCount(s: LatentScales, j: number): number {
  return s.indptr[j + 1] - s.indptr[j];
}

/** q-quantile (0..1) of latent j's positive codes, linear interpolation; 0 for a latent that never fires. */
export function activationQuantile(s: LatentScales, j: number, q: number): number {
  const n = firingCount(s, j);
  if (n === 0) return 0;
  const v = s.values.subarray(s.indptr[j], s.indptr[j + 1]);
  const pos = Math.min(1, Math.max(0, q)) * (n - 1); // h = q (n - 1), x_floor(h) + (h - floor(h)) (x_ceil(h) - x_floor(h))
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

/** The typical activation: the median of the latent's positive codes. */
export function typicalActivation(s: LatentScales, j: number): number {
  return activationQuantile(s, j, 0.5);
}

/** The largest activation observed. */
export function maxActivation(s: LatentScales, j: number): number {
  const n = firingCount(s, j);
  return n === 0 ? 0 : s.values[s.indptr[j + 1] - 1];
}

/** Units of a steering strength: raw code units, multiples of the typical (median) or maximum activation, or a quantile. */
export type StrengthUnit = 'raw' | 'typical' | 'max' | 'quantile';

/** A strength in a unit; `quantile` takes amount in 0..1. */
export interface Strength {
  amount: number;
  unit: StrengthUnit;
}

/** Strength -> raw code units for latent j; a data unit on a latent that never fired is an error (no scale to measure). */
export function rawStrength(s: LatentScales, j: number, strength: Strength): number {
  if (strength.unit === 'raw') return strength.amount;
  if (firingCount(s, j) === 0) throw new AnalysisError(`latent ${j} never fires on the ${s.rows} reference rows: a strength in ${strength.unit} units has no scale (give a raw value)`);
  if (strength.unit === 'typical') return strength.amount * typicalActivation(s, j);
  if (strength.unit === 'max') return strength.amount * maxActivation(s, j);
  return activationQuantile(s, j, strength.amount);
}

/** A raw code value in the latent's data units: multiples of its typical and maximum activation. */
export function inUnits(s: LatentScales, j: number, raw: number): { typical: number; max: number } {
  const typ = typicalActivation(s, j);
  const max = maxActivation(s, j);
  return { typical: typ > 0 ? raw / typ : Number.NaN, max: max > 0 ? raw / max : Number.NaN };
}
