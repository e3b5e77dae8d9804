import { AnalysisError } from './errors.js';

type Lance = typeof import('@lancedb/lancedb');
type VectorQuery = ReturnType<Awaited<ReturnType<Awaited<ReturnType<Lance['connect']>>['openTable']>>['vectorSearch']>;

/**
 * ANN index types for the on-disk search index (all cosine):
 * - `hnsw-sq`: IVF partitions, an HNSW graph in each, 8-bit scalar-quantized vectors (the default; high recall).
 * - `ivf-flat`: IVF partitions of full vectors (exact within the probed partitions).
 * - `ivf-pq`: IVF + product quantization (smallest, lowest recall; needs a large refine factor).
 * - `hnsw-pq`: IVF + HNSW over PQ codes.
 */
export const LANCE_INDEX_TYPES = ['hnsw-sq', 'ivf-flat', 'ivf-pq', 'hnsw-pq'] as const;
export type LanceIndexType = (typeof LANCE_INDEX_TYPES)[number];
export const DEFAULT_LANCE_INDEX_TYPE: LanceIndexType = 'hnsw-sq';

export interface LanceAnnOptions {
  indexType?: LanceIndexType;
  /** IVF partitions (default: hnsw-* max(1, round(rows / 2^20)): LanceDB advises few partitions for HNSW, ivf-* min(256, round(sqrt(rows)))). */
  numPartitions?: number;
  /** PQ sub-vectors for the *-pq types (default d / 8). */
  numSubVectors?: number;
  /** HNSW neighbours per node (default 20) and construction beam (default 150). */
  m?: number;
  efConstruction?: number;
}

/** Query-time accuracy knobs; defaults depend on the index type (see annQueryDefaults). */
export interface LanceAnnQueryOptions {
  /** IVF partitions probed. */
  nprobes?: number;
  /** Re-rank refineFactor x k candidates with the full vectors (0: none). */
  refineFactor?: number;
  /** HNSW search beam. */
  ef?: number;
}

export function isLanceIndexType(v: string): v is LanceIndexType {
  return (LANCE_INDEX_TYPES as readonly string[]).includes(v);
}

/** The index config passed to table.createIndex for `rows` vectors of width `dim`. */
export function annIndexConfig(lancedb: Lance, rows: number, dim: number, options: LanceAnnOptions) {
  const type = options.indexType ?? DEFAULT_LANCE_INDEX_TYPE;
  if (!isLanceIndexType(type)) throw new AnalysisError(`unknown index type "${String(type)}" (expected one of ${LANCE_INDEX_TYPES.join(', ')})`);
  const hnsw = type.startsWith('hnsw');
  const numPartitions = options.numPartitions ?? (hnsw ? Math.max(1, Math.round(rows / 1_048_576)) : Math.max(1, Math.min(256, Math.round(Math.sqrt(rows)))));
  const numSubVectors = options.numSubVectors ?? Math.max(1, Math.floor(dim / 8));
  const graph = { m: options.m ?? 20, efConstruction: options.efConstruction ?? 150 };
  switch (type) {
    case 'hnsw-sq':
      return lancedb.Index.hnswSq({ distanceType: 'cosine', numPartitions, ...graph });
    case 'hnsw-pq':
      return lancedb.Index.hnswPq({ distanceType: 'cosine', numPartitions, numSubVectors, ...graph });
    case 'ivf-flat':
      return lancedb.Index.ivfFlat({ distanceType: 'cosine', numPartitions });
    case 'ivf-pq':
      return lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors });
  }
}

/** LanceDB's indexType string of a vector index (IvfHnswSq, IVF_HNSW_SQ, ...) to ours; undefined when not one of ours. */
export function fromLanceIndexType(name: string): LanceIndexType | undefined {
  const map: Record<string, LanceIndexType> = { IVFHNSWSQ: 'hnsw-sq', IVFHNSWPQ: 'hnsw-pq', IVFFLAT: 'ivf-flat', IVFPQ: 'ivf-pq' };
  return map[name.replace(/_/g, '').toUpperCase()];
}

/** Default query knobs per index type, chosen for recall@10 >= 0.95 (README, benchmark-lance.mjs). */
export function annQueryDefaults(type: LanceIndexType | undefined): Required<LanceAnnQueryOptions> {
  switch (type) {
    case 'hnsw-sq':
    case 'hnsw-pq':
      return { nprobes: 16, refineFactor: 10, ef: 4000 };
    case 'ivf-flat':
      return { nprobes: 32, refineFactor: 0, ef: 0 };
    default:
      return { nprobes: 64, refineFactor: 50, ef: 0 };
  }
}

/** Apply the ANN knobs (explicit values over the type's defaults) to a vector query. */
export function tuneAnnQuery(search: VectorQuery, type: LanceIndexType | undefined, options: LanceAnnQueryOptions): VectorQuery {
  const d = annQueryDefaults(type);
  let out = search.nprobes(options.nprobes ?? d.nprobes);
  const refine = options.refineFactor ?? d.refineFactor;
  if (refine > 0) out = out.refineFactor(refine);
  const ef = options.ef ?? d.ef;
  if (ef > 0) out = out.ef(ef);
  return out;
}
