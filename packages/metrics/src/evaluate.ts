import { ArgumentError } from '@msae/core';
import type { Matrix, Normalization, SaeEngine } from '@msae/core';
import { cknnaFromKernels, kernelNeighbours, type KernelNeighbours } from './cknna.js';
import { CodeAccumulator } from './code-accumulator.js';
import { ReconstructionAccumulator } from './reconstruction-accumulator.js';
import { SparseRowsBuilder, type SparseRows } from './sparse-rows.js';
import { keepTopK } from '@msae/core/internal';

/** One row of the progressive evaluation: metrics of the SAE when each code keeps its top-k positive entries. */
export interface EvalRecord {
  k: number;
  fvu: number;
  fvuGlobal: number;
  cosine: number;
  nmae: number;
  l0: number;
  sparsity: number;
  deadLatents: number;
  cknna: number;
}


interface EvaluateCommon {
  /** A loaded engine (engine.load already called). */
  engine: SaeEngine;
  normalization: Normalization;
  /** Budgets to evaluate; any k >= dSae (or Infinity) keeps every positive code and is reported as k = dSae. */
  ks: number[];
  /** CKNNA between x and z on the first cknnaRows rows (default 1000; 0 skips it, cknna = NaN). */
  cknnaRows?: number;
  /** Neighbours of the CKNNA mask (default 10). */
  cknnaTopk?: number;
  /** Called with (done, total) work units: each row x each k is one unit, each k's CKNNA is one more. */
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluateSaeOptions extends EvaluateCommon {
  /** Inputs in the original space [rows, dIn]. */
  x: Matrix;
  /** Rows per engine call (default 1024). */
  batchSize?: number;
}

export interface EvaluateSaeStreamOptions extends EvaluateCommon {
  /** Batches of inputs in the original space, [rows, dIn] each, read in order. */
  batches: AsyncIterable<Matrix> | Iterable<Matrix>;
  /** Total rows the batches hold, for progress (NaN total when unknown). */
  totalRows?: number;
}

function checkKs(ks: number[]): void {
  if (ks.length === 0) throw new ArgumentError('evaluateSae', 'ks is empty');
  for (const k of ks) {
    if (!(k === Infinity || (Number.isInteger(k) && k >= 1))) {
      throw new ArgumentError(`evaluateSae`, `every k must be a positive integer or Infinity, got ${k}`);
    }
  }
}

/**
 * Progressive-k evaluation over batches read in order, with memory bounded by one batch plus the CKNNA rows:
 * x_n = (x - mean) * s; z = ReLU codes of the engine (encoded once per batch); for each k, z_k = per-row TopK_k(z);
 * x^ = decode(z_k) / s + mean; every metric is accumulated in the original space. Records are sorted by k.
 */
export async function evaluateSaeStream(options: EvaluateSaeStreamOptions): Promise<EvalRecord[]> {
  const { engine, normalization, onProgress } = options;
  checkKs(options.ks);
  const cknnaRows = options.cknnaRows ?? 1000;
  const cknnaTopk = options.cknnaTopk ?? 10;
  const { mean, scale } = normalization;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ArgumentError(`evaluateSae`, `normalization scale must be > 0, got ${scale}`);
  const dIn = mean.length;
  const invScale = 1 / scale;

  let dSae = -1;
  let ks: number[] = [];
  let recon: ReconstructionAccumulator[] = [];
  let codes: CodeAccumulator[] = [];
  let sparseCodes: SparseRowsBuilder[] = [];
  let total = NaN;
  let done = 0;
  const cknnaInputs = new Float32Array(Math.max(0, cknnaRows) * dIn);
  let cknnaKept = 0;
  let topkCodes: Float32Array | null = null;
  let scratch = new Float32Array(0);

  for await (const batch of options.batches) {
    const rows = batch.rows;
    if (batch.cols !== dIn) {
      throw new ArgumentError('', `input has ${batch.cols} dimensions but the SAE expects d_in = ${dIn}`);
    }
    if (rows === 0) continue;
    const x = batch.data;
    // x_n = (x - mean) * s
    const xn = new Float32Array(rows * dIn);
    for (let b = 0; b < rows; b++) {
      const o = b * dIn;
      for (let d = 0; d < dIn; d++) xn[o + d] = (x[o + d] - mean[d]) * scale;
    }
    const all = await engine.encode(xn, rows);
    if (dSae < 0) {
      dSae = all.length / rows;
      if (!Number.isInteger(dSae)) throw new ArgumentError('', `engine returned ${all.length} code values for ${rows} rows`);
      ks = [...new Set(options.ks.map((k) => Math.min(k, dSae)))].sort((a, b) => a - b);
      recon = ks.map(() => new ReconstructionAccumulator());
      codes = ks.map(() => new CodeAccumulator());
      sparseCodes = ks.map(() => new SparseRowsBuilder(dSae));
      scratch = new Float32Array(dSae);
      total = options.totalRows !== undefined ? (options.totalRows + 1) * ks.length : NaN;
    }
    const keepForCknna = Math.min(rows, cknnaRows - cknnaKept);
    if (keepForCknna > 0) cknnaInputs.set(x.subarray(0, keepForCknna * dIn), cknnaKept * dIn);
    if (!topkCodes || topkCodes.length < rows * dSae) topkCodes = new Float32Array(rows * dSae);
    const xMatrix: Matrix = { data: x, rows, cols: dIn };
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      // one codes buffer reused for every k and batch (engines copy their inputs; none keeps z)
      const z = k >= dSae ? all : keepTopK(all, rows, dSae, k, topkCodes.subarray(0, rows * dSae), scratch);
      codes[i].add({ data: z, rows, cols: dSae });
      if (keepForCknna > 0) sparseCodes[i].appendDense(z, 0, keepForCknna);
      const xhat = await engine.decode(z, rows);
      // x^ = recon_n / s + mean
      for (let b = 0; b < rows; b++) {
        const o = b * dIn;
        for (let d = 0; d < dIn; d++) xhat[o + d] = xhat[o + d] * invScale + mean[d];
      }
      recon[i].add(xMatrix, { data: xhat, rows, cols: dIn });
      done += rows;
      onProgress?.(done, total);
    }
    cknnaKept += Math.max(0, keepForCknna);
  }
  if (dSae < 0) throw new ArgumentError('evaluateSae', 'no input rows');
  if (Number.isNaN(total)) total = done + ks.length;

  const inputNeighbours = cknnaKept >= 4 ? kernelNeighbours({ data: cknnaInputs.subarray(0, cknnaKept * dIn), rows: cknnaKept, cols: dIn }, cknnaTopk) : null;
  const records: EvalRecord[] = [];
  // codes of consecutive ks are often identical (k past every row's positive count): reuse that kernel
  let previous: { codes: SparseRows; neighbours: KernelNeighbours } | null = null;
  for (let i = 0; i < ks.length; i++) {
    const r = recon[i].result();
    const c = codes[i].result();
    let cknna = NaN;
    if (inputNeighbours) {
      const z = sparseCodes[i].build();
      const neighbours: KernelNeighbours = previous && sameSparseRows(previous.codes, z) ? previous.neighbours : kernelNeighbours(z, cknnaTopk);
      previous = { codes: z, neighbours };
      cknna = cknnaFromKernels(inputNeighbours, neighbours);
    }
    records.push({ k: ks[i], fvu: r.fvu, fvuGlobal: r.fvuGlobal, cosine: r.cosine, nmae: r.nmae, l0: c.l0, sparsity: c.sparsity, deadLatents: c.deadLatents, cknna });
    done += 1;
    onProgress?.(done, total);
  }
  return records;
}

/** True when two CSR matrices hold exactly the same entries. */
function sameSparseRows(a: SparseRows, b: SparseRows): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols || a.values.length !== b.values.length) return false;
  for (let r = 0; r <= a.rows; r++) if (a.offsets[r] !== b.offsets[r]) return false;
  for (let t = 0; t < a.values.length; t++) if (a.indices[t] !== b.indices[t] || a.values[t] !== b.values[t]) return false;
  return true;
}

/** Consecutive row blocks of a matrix (views, no copy). */
function* rowBatches(x: Matrix, batchSize: number): Generator<Matrix> {
  for (let start = 0; start < x.rows; start += batchSize) {
    const rows = Math.min(batchSize, x.rows - start);
    yield { data: x.data.subarray(start * x.cols, (start + rows) * x.cols), rows, cols: x.cols };
  }
}

/**
 * The shared evaluation driver of the trainer and the evaluator: metrics of the SAE on x (original space) at each k.
 * See evaluateSaeStream for the procedure; this feeds x in batches of batchSize rows.
 */
export async function evaluateSae(options: EvaluateSaeOptions): Promise<EvalRecord[]> {
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`evaluateSae`, `batchSize must be a positive integer, got ${batchSize}`);
  if (options.x.cols !== options.normalization.mean.length) {
    throw new ArgumentError('', `input has ${options.x.cols} dimensions but the SAE expects d_in = ${options.normalization.mean.length}`);
  }
  return evaluateSaeStream({ ...options, batches: rowBatches(options.x, batchSize), totalRows: options.x.rows });
}
