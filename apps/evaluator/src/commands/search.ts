/**
 * `msae-eval search`: similarity search over an embedding collection by embedding rows, texts (CLIP text
 * model), concept names (ranked by the concept's activation) and steered queries; exact (streamed from the
 * file, blocks through the matmul provider) or from a LanceDB index directory (`msae-eval search-index`).
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Matrix } from '@msae/core';
import { choiceParser, floatParser, nonNegativeInt, positiveInt } from '@msae/cli-kit';
import type { LanceIndexType } from '@msae/analysis';
import { CliError, UsageError, oneLineMessage } from '../cli-error.js';
import { createReporter } from '../progress-reporter.js';
import { annotateClasses, hitRecords, searchTable, type SearchQueryRecord } from './search-output.js';
import { checkClassifier, loadModel, readClassifier, readConceptVocabulary, readLabels, readMatrix, readNaming } from './analysis-inputs.js';
import { conceptMapper } from './concept-mapping.js';

export interface SearchCommandOptions {
  checkpoint?: string;
  index?: string;
  query?: string[];
  queries?: string;
  steer?: string[];
  names?: string;
  k: number;
  labels?: string;
  labelsKey?: string;
  label?: string;
  classifier?: string;
  classes?: string;
  textModel: string;
  renormalize: boolean;
  json: boolean;
  nprobes?: number;
  refine?: number;
  ef?: number;
  mode: 'raw' | 'code';
  dedupe: number;
  vocab?: string;
  vocabLabels?: string;
  align: number;
}

/** The ANN index types of @msae/analysis (listed here so the option parser needs no eager import). */
const INDEX_TYPES = ['hnsw-sq', 'ivf-flat', 'ivf-pq', 'hnsw-pq'] as const satisfies readonly LanceIndexType[];

const collect = (v: string, previous: string[] | undefined) => [...(previous ?? []), v];

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('similarity search by embedding, text, concept or steered query: exact cosine over an embedding file, or a LanceDB index directory')
    .option('--index <file|dir>', 'collection: an embedding file (exact search, streamed) or an index directory from msae-eval search-index')
    .option('--checkpoint <dir>', 'SAE checkpoint (needed for concept queries and --steer)')
    .option('--query <q>', "query: 'text:a red car' (or bare text), 'concept:NAME' (rank by activation), 'row:N' (a row of the collection); repeatable", collect)
    .option('--queries <file>', 'embedding file whose rows are queries')
    .option('--steer <edit>', 'edit applied to every embedding query first, as in msae-eval steer (repeatable)', collect)
    .option('--names <file>', 'naming result (names.json) for concept queries and concept edits')
    .option('--k <n>', 'neighbours per query', positiveInt('--k'), 10)
    .option('--labels <file>', 'JSON labels per collection row (an array, or an object with --labels-key)')
    .option('--labels-key <key>', 'key of the labels array inside --labels')
    .option('--label <value>', 'only rows with this label')
    .option('--classifier <file>', 'annotate queries and hits with their top-1 class (zero-shot head .npy or classifier .json)')
    .option('--classes <file>', 'class names of --classifier (JSON array)')
    .option('--text-model <id>', 'CLIP model for text queries (Hugging Face id or local folder)', 'Xenova/clip-vit-base-patch32')
    .option('--renormalize', 'renormalize steered queries to unit norm', false)
    .option('--nprobes <n>', 'ANN index: IVF partitions probed (default per index type)', positiveInt('--nprobes'))
    .option('--refine <n>', 'ANN index: re-rank refine x k candidates with full vectors, 0 = off (default per index type)', nonNegativeInt('--refine'))
    .option('--ef <n>', 'ANN index (hnsw-*): HNSW search beam (default 4000)', positiveInt('--ef'))
    .option('--mode <raw|code>', 'embedding queries: raw = cosine of the embeddings; code = rows sharing the query\'s active SAE concepts (idf-weighted cosine of the codes; needs --checkpoint and an embedding-file --index)', choiceParser('--mode', ['raw', 'code'] as const), 'raw')
    .option('--dedupe <cos>', 'drop a hit whose embedding has at least this cosine with a better hit (and a row query\'s own row); 0 = keep all', floatParser('--dedupe', { min: 0, max: 1 }), 0.98)
    .option('--vocab <file>', 'concept text embeddings (.npy): concept queries also use latents whose decoder aligns with the concept\'s text direction')
    .option('--vocab-labels <file>', 'labels of --vocab rows (.json array or .txt)')
    .option('--align <cos>', 'decoder-text alignment a latent needs to carry a concept (with --vocab)', floatParser('--align', { min: -1, max: 1 }), 0.2)
    .option('--json', 'print {"queries": [...]} as the last stdout line', false)
    .action(async (opts: SearchCommandOptions) => runSearch(opts));

  program
    .command('search-index')
    .description('build a persistent LanceDB search index (unit embeddings, top SAE codes, labels) from an embedding file')
    .option('--data <file>', 'collection embeddings')
    .option('--out <dir>', 'index directory')
    .option('--checkpoint <dir>', 'store each row\'s top SAE codes')
    .option('--top-codes <n>', 'codes stored per row', positiveInt('--top-codes'), 8)
    .option('--labels <file>', 'JSON labels per row (filterable)')
    .option('--labels-key <key>', 'key of the labels array inside --labels')
    .option('--ann-min-rows <n>', 'build an ANN index from this many rows on (fewer: flat, exact)', positiveInt('--ann-min-rows'), 65536)
    .option('--index-type <type>', `ANN index type: ${INDEX_TYPES.join(', ')}`, choiceParser('--index-type', INDEX_TYPES), 'hnsw-sq')
    .option('--partitions <n>', 'ANN index: IVF partitions (default per index type)', positiveInt('--partitions'))
    .option('--json', 'print a JSON summary as the last stdout line', false)
    .action(async (opts: { data?: string; out?: string; checkpoint?: string; topCodes: number; labels?: string; labelsKey?: string; annMinRows: number; indexType: LanceIndexType; partitions?: number; json: boolean }) => {
      if (!opts.data) throw new UsageError('search-index: missing --data FILE');
      if (!opts.out) throw new UsageError('search-index: missing --out DIR');
      const reporter = createReporter(opts.json);
      const { buildLanceIndex, loadLance } = await import('@msae/analysis');
      await loadLance();
      const model = opts.checkpoint ? (await loadModel(opts.checkpoint, (m) => reporter.info(m))).model : undefined;
      const { openEmbeddingStream } = await import('@msae/io');
      const stream = await openEmbeddingStream(opts.data).catch((e: unknown) => {
        throw new CliError(`--data ${opts.data}: ${oneLineMessage(e)}`);
      });
      try {
        if (model && stream.cols !== model.dIn) throw new CliError(`${opts.data}: rows have ${stream.cols} dimensions but the checkpoint has d_in = ${model.dIn}`);
        const labels = opts.labels ? await readLabels(opts.labels, opts.labelsKey, '--labels') : undefined;
        if (labels && labels.length !== stream.rows) throw new CliError(`--labels ${opts.labels}: ${labels.length} labels for ${stream.rows} rows of ${opts.data}`);
        reporter.start(`indexing ${stream.rows} rows`);
        const built = await buildLanceIndex({
            dir: opts.out!,
            source: () => stream.batches({ batchSize: 16384 }),
            labels,
            model,
            topCodes: opts.topCodes,
            annMinRows: opts.annMinRows,
            indexType: opts.indexType,
            numPartitions: opts.partitions,
            onProgress: (done) => reporter.update(done, stream.rows),
          });
        reporter.finish();
        const summary = { index: opts.out, data: opts.data, ...built };
        process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `indexed ${built.rows} rows x ${built.dim} into ${opts.out} in ${built.seconds.toFixed(1)} s${built.ann ? ` (${built.indexType} index)` : ' (flat)'}\n`);
      } finally {
        await stream.close();
      }
    });
}

interface ParsedQuery {
  text: string;
  kind: SearchQueryRecord['kind'];
  value: string;
}

function parseQuery(q: string): ParsedQuery {
  const m = /^(text|concept|row):(.*)$/s.exec(q);
  const kind = (m ? m[1] : 'text') as ParsedQuery['kind'];
  const value = (m ? m[2] : q).trim();
  if (value === '') throw new UsageError(`--query '${q}': empty ${kind}`);
  if (kind === 'row' && !/^\d+$/.test(value)) throw new UsageError(`--query '${q}': row must be a row number`);
  return { text: q, kind, value };
}

async function runSearch(opts: SearchCommandOptions): Promise<void> {
  if (!opts.index) throw new UsageError('search: missing --index FILE|DIR');
  const parsed = (opts.query ?? []).map(parseQuery);
  if (parsed.length === 0 && !opts.queries) throw new UsageError("search: give --query 'text:...'|'concept:NAME'|'row:N' or --queries FILE");
  const needModel = parsed.some((q) => q.kind === 'concept') || (opts.steer?.length ?? 0) > 0 || opts.mode === 'code';
  if (needModel && !opts.checkpoint) throw new UsageError('search: concept queries, --steer and --mode code need --checkpoint DIR');
  const reporter = createReporter(opts.json);
  const analysis = await import('@msae/analysis');
  let isDir = false;
  try {
    isDir = (await stat(opts.index)).isDirectory();
  } catch {
    throw new CliError(`--index ${opts.index}: not found`);
  }
  const naming = opts.names ? await readNaming(opts.names) : undefined;
  const loaded = opts.checkpoint ? await loadModel(opts.checkpoint, (m) => reporter.info(m)) : undefined;
  const model = loaded?.model;
  const vocabulary = opts.vocab ? await readConceptVocabulary(opts.vocab, opts.vocabLabels) : undefined;
  const mapper = model ? await conceptMapper(model, naming, vocabulary, opts.align) : undefined;
  const stepsNeedScales = (opts.steer ?? []).some((e) => /(typ|max|=p\d)/.test(e));
  const conceptLatents = new Map<string, number[]>();
  for (const q of parsed.filter((p) => p.kind === 'concept')) {
    if (!naming && !vocabulary) throw new UsageError(`--query '${q.text}': concept queries need --names FILE or --vocab FILE`);
    const mapped = mapper?.latentsOf(q.value);
    conceptLatents.set(q.value, mapped?.length ? mapped : analysis.conceptLatents(naming ?? { latents: [] }, q.value));
  }
  const classifier = opts.classifier ? await readClassifier(opts.classifier, opts.classes) : undefined;

  const { openEmbeddingStream } = await import('@msae/io');
  const lance = isDir ? await analysis.openLanceIndex(opts.index!) : undefined;
  const stream = isDir
    ? undefined
    : await openEmbeddingStream(opts.index).catch((e: unknown) => {
        throw new CliError(`--index ${opts.index}: ${oneLineMessage(e)}`);
      });
  try {
    const dim = stream?.cols ?? model?.dIn;
    const rows = stream?.rows ?? lance!.rows;
    if (model && stream && stream.cols !== model.dIn) throw new CliError(`--index ${opts.index}: rows have ${stream.cols} dimensions but the checkpoint has d_in = ${model.dIn}`);
    if (classifier && dim !== undefined) checkClassifier(classifier, dim, opts.classifier!);
    const labels = opts.labels ? await readLabels(opts.labels, opts.labelsKey, '--labels') : undefined;
    if (labels && labels.length !== rows) throw new CliError(`--labels ${opts.labels}: ${labels.length} labels for ${rows} rows of ${opts.index}`);
    if (opts.label !== undefined && !isDir && !labels) throw new UsageError('--label needs --labels FILE for an embedding-file index');
    if (parsed.some((q) => q.kind === 'concept') && isDir) throw new UsageError('concept queries rank by activation: give the embedding file as --index');
    for (const q of parsed) if (q.kind === 'row' && Number(q.value) >= rows) throw new CliError(`--query '${q.text}': the collection has rows 0..${rows - 1}`);
    if (opts.mode === 'code' && !stream) throw new UsageError('--mode code searches the codes of an embedding file: give the embedding file as --index');
    // the collection's codes: activation scales for steering units, and the code-space index
    let collectionCodes: import('@msae/analysis').SparseCodes | undefined;
    if (model && stream && (opts.mode === 'code' || stepsNeedScales)) {
      reporter.start(`encoding ${rows} collection rows`);
      const parts: import('@msae/analysis').SparseCodes[] = [];
      for await (const block of stream.batches({ batchSize: 4096 })) {
        parts.push(await analysis.encodeRows(model, block, { k: loaded!.k }));
        reporter.update(block.start + block.rows, rows);
      }
      collectionCodes = analysis.concatCodes(parts, model.dSae);
      reporter.finish();
    }
    if (stepsNeedScales && !collectionCodes) throw new UsageError('--steer in data units (typ, max, pNN) needs --checkpoint and an embedding-file --index (the units are measured on it)');
    const edits = analysis.resolveEdits((opts.steer ?? []).map(analysis.parseEdit), model?.dSae ?? 0, naming, {
        scales: collectionCodes ? analysis.latentScales(collectionCodes) : undefined,
        conceptLatents: mapper?.latentsOf,
      });

    // embedding queries: rows of the collection, texts, --queries rows; then steering
    const embeddingQueries: { record: Omit<SearchQueryRecord, 'hits'>; vector: Float32Array }[] = [];
    const texts = parsed.filter((q) => q.kind === 'text');
    const textVectors = texts.length ? await embedQueryTexts(texts.map((t) => t.value), opts.textModel) : undefined;
    let t = 0;
    for (const q of parsed) {
      if (q.kind === 'concept') continue;
      let vector: Float32Array;
      if (q.kind === 'text') {
        vector = textVectors!.data.slice(t * textVectors!.cols, (t + 1) * textVectors!.cols);
        t++;
      } else if (stream) vector = await stream.readRows(Number(q.value), 1);
      else vector = await lanceRow(lance!, Number(q.value), opts.index);
      embeddingQueries.push({ record: { query: q.text, kind: q.kind, steered: edits.length > 0 }, vector });
    }
    if (opts.queries) {
      const m = await readMatrix(opts.queries, '--queries');
      for (let r = 0; r < m.rows; r++) {
        embeddingQueries.push({ record: { query: `${opts.queries}#${r}`, kind: 'embedding', steered: edits.length > 0 }, vector: m.data.slice(r * m.cols, (r + 1) * m.cols) });
      }
    }
    const width = embeddingQueries[0]?.vector.length;
    if (width !== undefined && embeddingQueries.some((q) => q.vector.length !== width)) throw new CliError('queries have different widths');
    if (width !== undefined && dim !== undefined && width !== dim) throw new CliError(`queries have ${width} dimensions but the collection has ${dim}`);
    let queryMatrix: Matrix | undefined;
    if (embeddingQueries.length) {
      queryMatrix = { data: new Float32Array(embeddingQueries.length * width!), rows: embeddingQueries.length, cols: width! };
      embeddingQueries.forEach((q, i) => queryMatrix!.data.set(q.vector, i * width!));
      if (edits.length) queryMatrix = await analysis.steer(model!, queryMatrix!, edits, { k: loaded!.k, renormalize: opts.renormalize });
    }

    const allow = labels && opts.label !== undefined ? (r: number) => labels[r] === opts.label : undefined;
    const wanted = opts.dedupe > 0 ? opts.k * 3 + 1 : opts.k;
    const selfRow = (i: number) => (embeddingQueries[i]?.record.kind === 'row' ? Number(embeddingQueries[i].record.query.slice(4)) : -1);
    // a row query: its own row is left out, and (with dedupe) so are copies of it
    const dedupe = async (hits: import('@msae/analysis').SearchHits, self: (q: number) => number) =>
      opts.dedupe > 0
        ? analysis.dedupeHits(hits, (rs) => fetchRows(rs, stream, lance, opts.index!), {
            k: opts.k,
            threshold: opts.dedupe,
            exclude: (q, r) => r === self(q),
            keptBefore: (q) => (self(q) >= 0 ? embeddingQueries[q].vector : undefined),
          })
        : { ...hits, dropped: new Int32Array(hits.queries) };
    const results: SearchQueryRecord[] = [];
    const matmul = model?.matmul ?? (await (await import('./analysis-inputs.js')).cliMatmul((m) => reporter.info(m)));
    reporter.start(`searching ${rows} rows`);
    if (queryMatrix && opts.mode === 'code') {
      const index = analysis.codeIndex(collectionCodes!);
      const queryCodes = await analysis.encodeRows(model!, queryMatrix!, { k: loaded!.k });
      const hits = await dedupe(analysis.codeSearch(index, queryCodes, { k: wanted, allow }), selfRow);
      embeddingQueries.forEach((q, i) => results.push({ ...q.record, mode: 'code', duplicatesDropped: hits.dropped[i], hits: hitRecords(hits, i, labels) }));
    } else if (queryMatrix) {
      if (lance) {
        const hits = await lance.query(queryMatrix!, { k: opts.k, label: opts.label, nprobes: opts.nprobes, refineFactor: opts.refine, ef: opts.ef });
        hits.forEach((hs, i) =>
          results.push({ ...embeddingQueries[i].record, hits: hs.map((h, rank) => ({ rank: rank + 1, row: h.row, id: h.id, score: h.score, label: h.label, codes: h.codes })) }),
        );
      } else {
        const raw = await analysis.exactSearch(queryMatrix!, () => stream!.batches({ batchSize: 8192 }), { k: wanted, matmul, allow });
        const hits = await dedupe(raw, selfRow);
        embeddingQueries.forEach((q, i) => results.push({ ...q.record, mode: 'raw', duplicatesDropped: hits.dropped[i], hits: hitRecords(hits, i, labels) }));
      }
    }
    for (const q of parsed.filter((p) => p.kind === 'concept')) {
      // steering composes: the collection is ranked as edited
      const source = edits.length ? analysis.steeredSource(model!, () => stream!.batches({ batchSize: 8192 }), edits, { k: loaded!.k, renormalize: opts.renormalize }) : () => stream!.batches({ batchSize: 8192 });
      const raw = await analysis.conceptSearch(model!, conceptLatents.get(q.value)!, source, { k: wanted, allow });
      const hits = await dedupe(raw, () => -1);
      const set = mapper?.sets.get(q.value);
      results.push({
        query: q.text,
        kind: 'concept',
        steered: edits.length > 0,
        mode: 'concept',
        latents: conceptLatents.get(q.value),
        ...(set ? { mapping: `${set.carriers.filter((c) => c.named).length} named + ${set.carriers.filter((c) => !c.named).length} aligned (cos >= ${set.threshold})` } : {}),
        duplicatesDropped: hits.dropped[0],
        hits: hitRecords(hits, 0, labels),
      });
    }
    reporter.finish();
    if (classifier) await annotateClasses(results, classifier, queryMatrix, embeddingQueries.length, matmul, (rowsWanted) => fetchRows(rowsWanted, stream, lance, opts.index!));
    if (opts.json) process.stdout.write(`${JSON.stringify({ index: opts.index, exact: !lance, rows, k: opts.k, queries: results })}\n`);
    else process.stdout.write(`${searchTable(results)}\n`);
  } finally {
    await stream?.close();
    lance?.close();
  }
}

async function embedQueryTexts(texts: string[], model: string): Promise<Matrix> {
  let clip: { embedTexts: (t: readonly string[], o: { model: string }) => Promise<{ embeddings: Matrix }> };
  try {
    clip = (await import('@msae/clip')) as unknown as typeof clip;
  } catch (error) {
    throw new CliError(`text queries need @msae/clip's CLIP text model, which could not be loaded (${oneLineMessage(error)})`);
  }
  try {
    return (await clip.embedTexts(texts, { model })).embeddings;
  } catch (error) {
    throw new CliError(`--text-model ${model}: ${oneLineMessage(error)}`);
  }
}

async function lanceRow(lance: NonNullable<Awaited<ReturnType<typeof import('@msae/analysis').openLanceIndex>>>, row: number, index: string): Promise<Float32Array> {
  const rows = await lance.vectors([row]);
  if (!rows[0]) throw new CliError(`--index ${index}: no row ${row}`);
  return rows[0];
}

async function fetchRows(
  rows: number[],
  stream: Awaited<ReturnType<typeof import('@msae/io').openEmbeddingStream>> | undefined,
  lance: Awaited<ReturnType<typeof import('@msae/analysis').openLanceIndex>> | undefined,
  index: string,
): Promise<Float32Array[]> {
  if (stream) return Promise.all(rows.map((r) => stream.readRows(r, 1)));
  const got = await lance!.vectors(rows);
  return rows.map((r, i) => {
    if (!got[i]) throw new CliError(`--index ${index}: no row ${r}`);
    return got[i];
  });
}

