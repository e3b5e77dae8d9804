import type { Matrix } from '@msae/core';
import { AnalysisError, MissingDependencyError, ShapeMismatchError } from './errors.js';
import { sourceBlocks, unitRows, type RowSource } from './exact-search.js';
import { quietLanceLogs, withLanceErrors } from './lance-errors.js';
import { prepareLanceTarget } from './lance-target.js';
import { annIndexConfig, DEFAULT_LANCE_INDEX_TYPE, fromLanceIndexType, tuneAnnQuery, type LanceAnnOptions, type LanceAnnQueryOptions, type LanceIndexType } from './lance-ann.js';
import { encodeRows, type SaeModel } from './sae-model.js';

/** Table name inside a LanceDB index directory. */
export const LANCE_TABLE = 'items';

export interface LanceBuildOptions extends LanceAnnOptions {
  /** Index directory: absent, empty, or an earlier index (replaced once the new one is complete). */
  dir: string;
  source: RowSource;
  /** Row ids (default: the row number as text). */
  ids?: readonly string[];
  /** Optional label per row (filterable with `label`). */
  labels?: readonly string[];
  /** SAE whose top codes are stored with every row (columns codes / code_values). */
  model?: SaeModel;
  /** Codes stored per row (default 8). */
  topCodes?: number;
  /** Build an ANN index (indexType, default hnsw-sq) when the collection has at least this many rows (default 65,536; Infinity: flat only). */
  annMinRows?: number;
  onProgress?: (done: number) => void;
}

export interface LanceBuildResult {
  rows: number;
  dim: number;
  ann: boolean;
  /** the ANN index type built (undefined: flat) */
  indexType?: LanceIndexType;
  seconds: number;
  /** of which building the ANN index */
  indexSeconds: number;
}

/** k, label filter, and the ANN knobs (nprobes / refineFactor / ef; defaults per index type, see lance-ann.ts). */
export interface LanceQueryOptions extends LanceAnnQueryOptions {
  k?: number;
  /** Only rows with this label. */
  label?: string;
}

/** One hit: row number in the collection, id, label, cosine similarity and the row's stored top codes. */
export interface LanceHit {
  row: number;
  id: string;
  label: string | null;
  score: number;
  codes: number[];
  codeValues: number[];
}

type Lance = typeof import('@lancedb/lancedb');
type Arrow = typeof import('apache-arrow');

/** LanceDB and Apache Arrow as loaded, typed opaquely so the public .d.ts never imports the optional peers. */
export interface LanceModules {
  readonly lancedb: unknown;
  readonly arrow: unknown;
}

/** Load LanceDB and Apache Arrow (optional peers); MissingDependencyError names the npm install when they are missing. */
export function loadLance(): Promise<LanceModules> {
  return importLance();
}

/**
 * Load LanceDB and Apache Arrow with their types (internal: not in the package's exports). Arrow is
 * required from LanceDB's own location (CommonJS), so the Table classes are the ones LanceDB checks for.
 */
export async function importLance(): Promise<{ lancedb: Lance; arrow: Arrow }> {
  try {
    quietLanceLogs();
    const lancedb = await import('@lancedb/lancedb');
    const { createRequire } = await import('node:module');
    const requireHere = createRequire(import.meta.url);
    const requireFromLance = createRequire(requireHere.resolve('@lancedb/lancedb'));
    const arrow = requireFromLance('apache-arrow') as Arrow;
    return { lancedb, arrow };
  } catch {
    throw new MissingDependencyError('@lancedb/lancedb@0.31.0 apache-arrow@18.1.0', 'the on-disk search index');
  }
}

/**
 * Build a persistent index: one LanceDB table with the unit-norm embedding (`vector`), the row number,
 * id, label and the SAE's top codes per row, written block by block; an ANN index (cosine; default
 * IVF-HNSW-SQ, see lance-ann.ts) on top for large collections. It is built in a temporary sibling directory
 * and renamed into place when complete (lance-target.ts); a failure leaves nothing. LanceDB errors are one
 * line naming `dir`.
 */
export async function buildLanceIndex(options: LanceBuildOptions): Promise<LanceBuildResult> {
  const { lancedb, arrow } = await importLance();
  const target = await prepareLanceTarget(options.dir, `${LANCE_TABLE}.lance`);
  try {
    const result = await withLanceErrors(options.dir, () => buildInto(lancedb, arrow, target.temp, options), target.temp);
    await target.commit();
    return result;
  } catch (err) {
    await target.discard();
    throw err;
  }
}

async function buildInto(lancedb: Lance, arrow: Arrow, temp: string, options: LanceBuildOptions): Promise<LanceBuildResult> {
  const t0 = performance.now();
  const db = await lancedb.connect(temp);
  const topCodes = options.topCodes ?? 8;
  let table: Awaited<ReturnType<typeof db.createTable>> | undefined;
  let rows = 0;
  let dim = 0;
  for await (const block of sourceBlocks(options.source, 16384)) {
    dim = block.cols;
    const unit = unitRows(block);
    const codes = options.model ? await encodeRows(options.model, block, { k: topCodes }) : undefined;
    const batch = arrowBatch(arrow, unit, block.start, options, codes);
    if (!table) table = await db.createTable(LANCE_TABLE, batch, { mode: 'overwrite' });
    else await table.add(batch);
    rows += block.rows;
    options.onProgress?.(rows);
  }
  if (!table) throw new AnalysisError(`${options.dir}: the collection has no rows`);
  if (options.ids && options.ids.length !== rows) throw new ShapeMismatchError(`${options.ids.length} ids for ${rows} rows`);
  if (options.labels && options.labels.length !== rows) throw new ShapeMismatchError(`${options.labels.length} labels for ${rows} rows`);
  const ann = rows >= (options.annMinRows ?? 65_536);
  const tIndex = performance.now();
  if (ann) {
    await table.createIndex('vector', { config: annIndexConfig(lancedb, rows, dim, options) });
  }
  const indexSeconds = (performance.now() - tIndex) / 1000;
  if (options.labels) await table.createIndex('label', { config: lancedb.Index.bitmap() });
  table.close();
  db.close();
  return { rows, dim, ann, indexType: ann ? (options.indexType ?? DEFAULT_LANCE_INDEX_TYPE) : undefined, seconds: (performance.now() - t0) / 1000, indexSeconds };
}

function arrowBatch(arrow: Arrow, unit: Matrix, start: number, options: LanceBuildOptions, codes?: Awaited<ReturnType<typeof encodeRows>>) {
  const n = unit.rows;
  const d = unit.cols;
  const f32 = new arrow.Float32();
  const vector = arrow.makeVector(
    arrow.makeData({
      type: new arrow.FixedSizeList(d, new arrow.Field('item', f32, true)),
      length: n,
      nullCount: 0,
      child: arrow.makeData({ type: f32, length: n * d, data: unit.data }),
    }),
  );
  const rowNumbers = Int32Array.from({ length: n }, (_, i) => start + i);
  const ids = Array.from({ length: n }, (_, i) => options.ids?.[start + i] ?? String(start + i));
  const columns: Record<string, unknown> = {
    row: arrow.makeVector(rowNumbers),
    id: arrow.vectorFromArray(ids, new arrow.Utf8()),
    vector,
  };
  if (options.labels) columns.label = arrow.vectorFromArray(options.labels.slice(start, start + n) as string[], new arrow.Utf8());
  if (codes) {
    const offsets = Int32Array.from(codes.indptr);
    const list = (child: ReturnType<typeof arrow.makeData>, type: InstanceType<Arrow['Int32']> | InstanceType<Arrow['Float32']>) =>
      arrow.makeVector(
        arrow.makeData({ type: new arrow.List(new arrow.Field('item', type, true)), length: n, nullCount: 0, valueOffsets: offsets, child } as unknown as Parameters<
          typeof arrow.makeData
        >[0]),
      );
    const i32 = new arrow.Int32();
    columns.codes = list(arrow.makeData({ type: i32, length: codes.indices.length, data: Int32Array.from(codes.indices) }), i32);
    columns.code_values = list(arrow.makeData({ type: f32, length: codes.values.length, data: codes.values }), f32);
  }
  return new arrow.Table(columns as unknown as Record<string, InstanceType<Arrow['Vector']>>);
}

/** Open an index directory: its row count and a query function (cosine, optional label filter). */
export async function openLanceIndex(dir: string): Promise<{
  rows: number;
  ann: boolean;
  /** the vector index type (undefined: flat search) */
  indexType?: LanceIndexType;
  query(queries: Matrix, options?: LanceQueryOptions): Promise<LanceHit[][]>;
  /** The stored (unit-norm) vectors of the given rows, in order (undefined for a row not in the index). */
  vectors(rows: readonly number[]): Promise<(Float32Array | undefined)[]>;
  close(): void;
}> {
  const { lancedb } = await importLance();
  const db = await withLanceErrors(dir, () => lancedb.connect(dir));
  const opened = await withLanceErrors(dir, async () => {
    const names = await db.tableNames();
    if (!names.includes(LANCE_TABLE)) throw new AnalysisError(`${dir}: not a search index (no "${LANCE_TABLE}" table; build one with msae-eval search-index)`);
    const table = await db.openTable(LANCE_TABLE);
    const rows = await table.countRows();
    const vectorIndex = (await table.listIndices()).find((i) => i.columns.includes('vector'));
    return { table, rows, vectorIndex, schema: await table.schema() };
  }).catch((err: unknown) => {
    db.close();
    throw err;
  });
  const { table, rows, vectorIndex, schema } = opened;
  const ann = vectorIndex !== undefined;
  const indexType = vectorIndex ? fromLanceIndexType(vectorIndex.indexType) : undefined;
  const dim = (schema.fields.find((f) => f.name === 'vector')?.type as { listSize?: number } | undefined)?.listSize;
  const hasLabel = schema.fields.some((f) => f.name === 'label');
  const hasCodes = schema.fields.some((f) => f.name === 'codes');
  return {
    rows,
    ann,
    indexType,
    async query(queries, options = {}) {
      const out: LanceHit[][] = [];
      if (dim !== undefined && queries.cols !== dim) throw new ShapeMismatchError(`${dir}: the index holds ${dim}-dimensional vectors but the query has ${queries.cols}`);
      const unit = unitRows(queries);
      for (let q = 0; q < unit.rows; q++) {
        let search = table
          .vectorSearch(unit.data.subarray(q * unit.cols, (q + 1) * unit.cols))
          .distanceType('cosine')
          .limit(options.k ?? 10)
          .select(['row', 'id', ...(hasLabel ? ['label'] : []), ...(hasCodes ? ['codes', 'code_values'] : []), '_distance']);
        if (ann) search = tuneAnnQuery(search, indexType, options);
        if (options.label !== undefined) {
          if (!hasLabel) throw new AnalysisError(`${dir}: the index has no labels to filter by`);
          search = search.where(`label = '${options.label.replace(/'/g, "''")}'`);
        }
        const found = (await withLanceErrors(dir, () => search.toArray())) as Array<Record<string, unknown>>;
        out.push(
          found.map((r) => ({
            row: Number(r.row),
            id: String(r.id),
            label: hasLabel ? (r.label as string | null) : null,
            score: 1 - Number(r._distance), // cosine distance = 1 - cos
            codes: hasCodes ? Array.from(r.codes as Iterable<number>) : [],
            codeValues: hasCodes ? Array.from(r.code_values as Iterable<number>) : [],
          })),
        );
      }
      return out;
    },
    async vectors(wanted) {
      if (wanted.length === 0) return [];
      const found = (await withLanceErrors(dir, () =>
        table
          .query()
          .where(`row IN (${wanted.map((r) => Math.trunc(r)).join(', ')})`)
          .select(['row', 'vector'])
          .toArray(),
      )) as Array<{ row: number; vector: Iterable<number> }>;
      const byRow = new Map(found.map((f) => [Number(f.row), Float32Array.from(f.vector)]));
      return wanted.map((r) => byRow.get(r));
    },
    close() {
      table.close();
      db.close();
    },
  };
}

/** recall@k of approximate hits against exact rows: mean over queries of |approx ∩ exact| / k. */
export function recallAtK(exactRows: Int32Array, approx: readonly (readonly { row: number }[])[], k: number): number {
  let sum = 0;
  for (let q = 0; q < approx.length; q++) {
    const truth = new Set(Array.from(exactRows.subarray(q * k, (q + 1) * k)).filter((r) => r >= 0));
    let hit = 0;
    for (const h of approx[q].slice(0, k)) if (truth.has(h.row)) hit++;
    sum += truth.size > 0 ? hit / truth.size : 1;
  }
  return sum / Math.max(1, approx.length);
}
