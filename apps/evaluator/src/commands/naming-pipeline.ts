/**
 * What `msae-eval name` and `msae-eval latents` share: load the checkpoint, the (merged) vocabulary,
 * the data (near-duplicates found, encoded as the checkpoint does), the held-out rows, and name every
 * latent from calibrated evidence (@msae/concepts nameWithEvidence). Failures are one-line errors.
 */
import type { Checkpoint, Matrix } from '@msae/core';
import {
  clipModelOf,
  type DecoderMapping,
  coactivationParents,
  type DuplicateGroups,
  demoVocabulary,
  type EvidenceNamingResult,
  encodeSparseCodes,
  findNearDuplicates,
  isDemoData,
  type LatentColumns,
  latentColumns,
  loadShippedVocabulary,
  loadVocabulary,
  mergeVocabularies,
  type NamedVocabulary,
  nameWithEvidence,
  overlappingRows,
  type ParentLink,
  type SparseCodes,
  shippedVocabulariesFor,
  shippedVocabulary,
  vocabularyMismatch,
  type VocabularyEmbeddings,
} from '@msae/concepts';
import { CliError, oneLineMessage } from '../cli-error.js';
import { openCheckpoint } from '../checkpoint-source.js';
import { readMatrix } from './analysis-inputs.js';
import { evidenceK } from './evidence-k.js';

export interface NamingPipelineOptions {
  checkpoint: string;
  /** Vocabulary files (.txt embedded with `model`, or .npy/.safetensors paired in order with `labels`). */
  vocab: string[];
  labels: string[];
  /** Shipped vocabulary ids. */
  shipped: string[];
  model: string;
  template: string[];
  batchSize?: number;
  cache: boolean;
  data?: string;
  heldOut?: string;
  fdr: number;
  maxEvidenceRank: number;
  candidates: number;
  nullSamples: number;
  topRows: number;
  k?: number;
  seed: number;
  mapping?: DecoderMapping;
}

export interface EncodedRows {
  file: string;
  matrix: Matrix;
  codes: SparseCodes;
  columns: LatentColumns;
  duplicates: DuplicateGroups;
}

export interface NamingPipelineResult {
  checkpoint: Checkpoint;
  checkpointName: string;
  vocabulary: VocabularyEmbeddings & { sources: string[] };
  vocabularySources: string[];
  naming: EvidenceNamingResult;
  data?: EncodedRows;
  heldOut?: EncodedRows & { overlap: number };
  parents?: (ParentLink | null)[];
  seconds: { total: number };
}

function fail(error: unknown, context: string): never {
  if (error instanceof CliError) throw error;
  const m = oneLineMessage(error);
  throw new CliError(m.startsWith(context) ? m : `${context}: ${m}`);
}

async function loadVocabularies(opts: NamingPipelineOptions, ck: Checkpoint, name: string, demo: boolean, log: (m: string) => void) {
  const dIn = ck.config.dIn;
  const dataModel = clipModelOf(typeof ck.training?.data === 'string' ? ck.training.data : undefined) ?? clipModelOf(opts.data);
  const parts: (NamedVocabulary & { model: string | null; demo: boolean })[] = [];
  for (const id of opts.shipped) {
    let v: Awaited<ReturnType<typeof loadShippedVocabulary>>;
    try {
      v = await loadShippedVocabulary(id);
    } catch (e) {
      fail(e, `--shipped ${id}`);
    }
    parts.push({ ...v, source: id, model: clipModelOf(shippedVocabulary(id).model), demo: false });
  }
  let labelAt = 0;
  for (const file of opts.vocab) {
    const isTxt = file.toLowerCase().endsWith('.txt');
    const labels = isTxt ? undefined : opts.labels[labelAt++];
    try {
      const v = await loadVocabulary(file, { labels, model: opts.model, template: opts.template.length === 1 ? opts.template[0] : opts.template, batchSize: opts.batchSize, cache: opts.cache, onLog: log });
      parts.push({ labels: v.labels, embeddings: v.embeddings, source: file, model: clipModelOf(isTxt ? opts.model : file), demo: false });
    } catch (e) {
      fail(e, file);
    }
  }
  if (parts.length === 0) {
    if (demo) {
      const v = demoVocabulary(dIn);
      parts.push({ ...v, source: 'demo (planted concepts)', model: null, demo: true });
    } else {
      const shipped = shippedVocabulariesFor(dIn).filter((s) => !dataModel || clipModelOf(s.model) === dataModel);
      const pick = shipped[shipped.length - 1];
      if (!pick) throw new CliError(`${opts.checkpoint}: no shipped vocabulary fits d_in ${dIn}${dataModel ? ` (CLIP ${dataModel})` : ''}; give --vocab FILE`);
      const v = await loadShippedVocabulary(pick.id);
      parts.push({ ...v, source: pick.id, model: clipModelOf(pick.model), demo: false });
    }
  }
  for (const p of parts) {
    const why = vocabularyMismatch({ name: p.source, dim: p.embeddings.cols, model: p.model, demo: p.demo }, { name, dIn, dataModel, demo });
    if (why) throw new CliError(why);
  }
  return mergeVocabularies(parts);
}

async function encodeRows(file: string, option: string, ck: Checkpoint, k: number | undefined, matmul: Awaited<ReturnType<typeof import('@msae/engines').createMatmulProvider>>) {
  const matrix = await readMatrix(file, option);
  const { config, params, normalization } = ck;
  if (matrix.cols !== config.dIn) throw new CliError(`${file}: rows are ${matrix.cols}-d but the checkpoint has d_in ${config.dIn}`);
  const duplicates = await findNearDuplicates(matrix, { matmul });
  const codes = await encodeSparseCodes({
    data: matrix,
    encoder: { ...params, dIn: config.dIn, dSae: config.dSae, architecture: config.architecture }, // the architecture's gate (jumprelu: log_threshold)
    normalization,
    k,
    matmul,
  });
  return { file, matrix, codes, columns: latentColumns(codes), duplicates };
}

/** Load everything and name every latent from calibrated evidence. */
export async function runNamingPipeline(opts: NamingPipelineOptions, log: (m: string) => void): Promise<NamingPipelineResult> {
  const t0 = performance.now();
  const loaded = await openCheckpoint(opts.checkpoint);
  const ck = loaded.checkpoint;
  const demo = isDemoData(ck.training?.data);
  const vocabulary = await loadVocabularies(opts, ck, opts.checkpoint, demo, log);
  const sources = [...new Set(vocabulary.sources)];
  const { createMatmulProvider } = await import('@msae/engines');
  const matmul = await createMatmulProvider('auto', { onFallback: (m) => log(`note: ${m}`) });
  const k = evidenceK(ck.config, opts.k);
  let data: EncodedRows | undefined;
  let heldOut: (EncodedRows & { overlap: number }) | undefined;
  let overlap: number[] = [];
  if (opts.data) {
    data = await encodeRows(opts.data, '--data', ck, k, matmul);
    const d = data.duplicates;
    if (d.duplicateRows > 0) {
      log(`warning: ${opts.data}: ${d.duplicateRows} of ${d.rows} rows are near-duplicates (cosine >= 0.995; largest group ${d.largestGroup} rows), counted once in evidence and top lists`);
    }
  }
  if (opts.heldOut) {
    if (!data) throw new CliError('--held-out needs --data (the rows names are chosen on)');
    const h = await encodeRows(opts.heldOut, '--held-out', ck, k, matmul);
    overlap = await overlappingRows(data.matrix, h.matrix, { matmul });
    if (overlap.length > 0) log(`warning: ${overlap.length} of ${h.matrix.rows} rows of ${opts.heldOut} repeat a row of ${opts.data}; they are left out of the held-out check`);
    heldOut = { ...h, overlap: overlap.length };
  }
  const naming = await nameWithEvidence({
    decoder: { data: ck.params.W_dec, rows: ck.config.dSae, cols: ck.config.dIn },
    vocabulary,
    normalization: ck.normalization,
    mapping: opts.mapping,
    rule: { fdr: opts.fdr, maxEvidenceRank: opts.maxEvidenceRank },
    candidates: opts.candidates,
    nullSamples: opts.nullSamples,
    seed: opts.seed,
    topRows: opts.topRows,
    matmul,
    ...(data ? { evidence: { data: data.matrix, columns: data.columns, duplicates: data.duplicates } } : {}),
    ...(heldOut ? { heldOut: { data: heldOut.matrix, columns: heldOut.columns, duplicates: heldOut.duplicates, excludeRows: overlap } } : {}),
  });
  let parents: (ParentLink | null)[] | undefined;
  if (data && ck.config.nesting.length > 1) {
    // near-duplicate rows count once: weight 1 for a group's representative, 0 for its copies
    const w = Float32Array.from(data.duplicates.representative, (rep, r) => (rep === r ? 1 : 0));
    parents = coactivationParents(data.codes, ck.config.nesting, w);
  }
  return {
    checkpoint: ck,
    checkpointName: loaded.name,
    vocabulary,
    vocabularySources: sources,
    naming,
    data,
    heldOut,
    parents,
    seconds: { total: (performance.now() - t0) / 1000 },
  };
}
