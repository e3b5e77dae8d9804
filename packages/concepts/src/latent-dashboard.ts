import type { MatmulABt, Matrix } from '@msae/core';
import { cosineSearch } from './cosine-search.js';
import type {
  DashboardCandidate,
  DashboardEvidence,
  DashboardExample,
  DashboardHistogram,
  DashboardQuantileBand,
  LatentDashboard,
} from './latent-dashboard-record.js';
import { nestingLevel, type ParentLink } from './latent-hierarchy.js';
import type { DuplicateGroups } from './near-duplicates.js';
import type { LatentColumns } from './sparse-codes.js';
import { ConceptsInputError } from './errors.js';

/** The naming decision of one latent, as the dashboard shows it. */
export interface LatentDecision {
  index: number;
  name: string | null;
  nameSource?: string;
  candidates: DashboardCandidate[];
  evidence: DashboardEvidence | null;
  /** Plain-words account of the decision. */
  summary: string;
}

export interface DashboardBuildInput {
  /** W_dec [dSae, dIn]: for the decoder-nearest latents. */
  decoder: Matrix;
  /** One decision per latent, in latent order. */
  decisions: LatentDecision[];
  /** Per-latent active rows with activations, highest first (from `latentColumns`). */
  columns?: LatentColumns;
  /** Rows of the data the columns come from. */
  dataRows?: number;
  duplicates?: DuplicateGroups;
  rowLabels?: ArrayLike<string>;
  rowSources?: ArrayLike<string>;
  zeroShot?: ArrayLike<string>;
  /** Nested prefix sizes of a Matryoshka SAE. */
  nesting?: number[];
  /** Per latent: the coarser latent it co-activates with most. */
  parents?: (ParentLink | null)[];
  /** Top examples per latent (default 10). */
  top?: number;
  /** Quantile bands (default 5) and examples per band (default 3). */
  bands?: number;
  examplesPerBand?: number;
  /** Decoder-nearest latents listed (default 5). */
  nearest?: number;
  /** Histogram bins (default 20). */
  bins?: number;
  matmul?: MatmulABt;
}

function example(input: DashboardBuildInput, row: number, activation: number): DashboardExample {
  const e: DashboardExample = { row, activation: Number(activation.toFixed(5)), duplicates: input.duplicates?.groupSize[row] ?? 1 };
  if (input.rowLabels) e.label = input.rowLabels[row];
  if (input.rowSources) e.source = input.rowSources[row];
  if (input.zeroShot) e.zeroShot = input.zeroShot[row];
  return e;
}

/** The latent's active rows, one per near-duplicate group (the group's highest activation), highest first. */
export function distinctActiveRows(columns: LatentColumns, latent: number, duplicates?: DuplicateGroups): { rows: number[]; values: number[] } {
  const rows: number[] = [];
  const values: number[] = [];
  const seen = new Set<number>();
  for (let p = columns.colStart[latent]; p < columns.colStart[latent + 1]; p++) {
    const r = columns.row[p];
    const rep = duplicates ? duplicates.representative[r] : r;
    if (seen.has(rep)) continue;
    seen.add(rep);
    rows.push(r);
    values.push(columns.value[p]);
  }
  return { rows, values };
}

/** Counts over log10(activation) in `bins` equal bins between the smallest and largest activation. */
export function activationHistogram(values: ArrayLike<number>, bins: number): DashboardHistogram | null {
  if (values.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = Math.log10(values[i]);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < 1e-6) hi = lo + 1e-6;
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((Math.log10(values[i]) - lo) / width))]++;
  const log10Edges = Array.from({ length: bins + 1 }, (_, i) => Number((lo + i * width).toFixed(5)));
  return { log10Edges, counts };
}

function quantileBands(input: DashboardBuildInput, rows: number[], values: number[], bands: number, per: number): DashboardQuantileBand[] {
  const n = rows.length;
  if (n === 0) return [];
  const out: DashboardQuantileBand[] = [];
  // rows are sorted highest first; band b covers quantiles [b/bands, (b+1)/bands) of the ascending order
  for (let b = 0; b < bands; b++) {
    const ascFrom = Math.floor((b * n) / bands);
    const ascTo = Math.floor(((b + 1) * n) / bands);
    if (ascTo <= ascFrom) continue;
    const idx: number[] = [];
    const size = ascTo - ascFrom;
    for (let i = 0; i < Math.min(per, size); i++) idx.push(n - 1 - (ascFrom + Math.floor(((i + 0.5) * size) / Math.min(per, size))));
    out.push({
      from: b / bands,
      to: (b + 1) / bands,
      minActivation: Number(values[n - 1 - ascFrom].toFixed(5)),
      maxActivation: Number(values[n - ascTo].toFixed(5)),
      examples: idx.map((i) => example(input, rows[i], values[i])),
    });
  }
  return out;
}

/**
 * One dashboard per latent (named or not): frequency, activation histogram, top activations with
 * near-duplicates collapsed, examples across activation quantiles, decoder-nearest latents, the
 * name, its candidates and evidence, the nesting level and the coarse parent.
 */
export async function buildLatentDashboards(input: DashboardBuildInput): Promise<LatentDashboard[]> {
  const { decoder, decisions } = input;
  if (decisions.length !== decoder.rows) throw new ConceptsInputError(`dashboards: ${decisions.length} decisions for ${decoder.rows} latents`);
  const nNearest = input.nearest ?? 5;
  const near = nNearest > 0 && decoder.rows > 1 ? await cosineSearch(decoder, decoder, { keep: nNearest + 1, matmul: input.matmul }) : null;
  const distinctRows = input.duplicates ? input.duplicates.distinctRows : (input.dataRows ?? 0);
  return decisions.map((d, j): LatentDashboard => {
    let frequency: number | null = null;
    let activeRows = 0;
    let histogram: DashboardHistogram | null = null;
    let top: DashboardExample[] = [];
    let quantiles: DashboardQuantileBand[] = [];
    if (input.columns) {
      const { rows, values } = distinctActiveRows(input.columns, j, input.duplicates);
      activeRows = rows.length;
      // frequency = distinct active rows / distinct rows
      frequency = distinctRows > 0 ? Number((rows.length / distinctRows).toFixed(6)) : 0;
      histogram = activationHistogram(values, input.bins ?? 20);
      top = rows.slice(0, input.top ?? 10).map((r, i) => example(input, r, values[i]));
      quantiles = quantileBands(input, rows, values, input.bands ?? 5, input.examplesPerBand ?? 3);
    }
    const nearest: LatentDashboard['nearest'] = [];
    if (near) {
      for (let p = j * near.keep; p < (j + 1) * near.keep && nearest.length < nNearest; p++) {
        const other = near.indices[p];
        if (other < 0 || other === j) continue;
        nearest.push({ index: other, cosine: Number(near.scores[p].toFixed(4)), name: decisions[other].name });
      }
    }
    const lvl = input.nesting?.length ? nestingLevel(j, input.nesting) : null;
    const link = input.parents?.[j] ?? null;
    return {
      index: j,
      level: lvl ? lvl.level : null,
      prefix: lvl ? lvl.prefix : null,
      parent: link ? { index: link.index, name: decisions[link.index]?.name ?? null, coactivation: Number(link.coactivation.toFixed(4)) } : null,
      frequency,
      activeRows,
      histogram,
      top,
      quantiles,
      nearest,
      name: d.name,
      ...(d.nameSource !== undefined ? { nameSource: d.nameSource } : {}),
      candidates: d.candidates,
      evidence: d.evidence,
      summary: d.summary,
    };
  });
}
