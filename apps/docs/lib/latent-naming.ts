import { ArgumentError, ownK } from '@msae/core';
import {
  type EvidenceData,
  fetchShippedVocabulary,
  findNearDuplicates,
  latentColumns,
  encodeSparseCodes,
  nameWithEvidence,
  shippedVocabulariesFor as allShippedFor,
  type VocabularyEmbeddings,
} from '@msae/concepts/browser';
import { parseEmbeddings } from '@msae/io/browser';
import { readLabelFile } from './datasets.js';
import { toSiteNaming, type SiteNaming } from './evidence-naming.js';
import { holdOut, type LoadedCheckpoint, type PlaygroundDataset } from './session-store.js';

/** The shipped vocabularies the site serves (scripts/copy-assets.mjs); the others stay with @msae/concepts for Node. */
export const SITE_VOCABULARIES = ['clip-vit-b32-detic-1592'];

/** The site's shipped vocabularies that fit embeddings of `dim` dimensions. */
export function shippedVocabulariesFor(dim: number): ReturnType<typeof allShippedFor> {
  return allShippedFor(dim).filter((v) => SITE_VOCABULARIES.includes(v.id));
}

/** A shipped vocabulary, fetched from the site's own `vocab/` assets (no model download). */
export async function shippedVocabulary(id: string, base: string): Promise<VocabularyEmbeddings & { source: string }> {
  const vocab = await fetchShippedVocabulary(id, new URL(`${base}vocab/`, location.origin).href);
  return { ...vocab, source: id };
}

/** A vocabulary the visitor drops: a .npy/.safetensors of text embeddings and a labels .json/.txt of the same length. */
export async function droppedVocabulary(files: File[]): Promise<VocabularyEmbeddings & { source: string }> {
  const data = files.find((f) => /\.(npy|safetensors)$/.test(f.name));
  const labels = files.find((f) => /\.(json|txt)$/.test(f.name));
  if (!data || !labels) throw new ArgumentError('', 'drop a vocabulary .npy and its labels .json/.txt together');
  const m = parseEmbeddings(new Uint8Array(await data.arrayBuffer()), data.name);
  const names = await readLabelFile(labels);
  if (names.length !== m.rows) throw new ArgumentError(`${labels.name}`, `${names.length} labels for ${m.rows} rows of ${data.name}`);
  return { labels: names, embeddings: { data: m.data, rows: m.rows, cols: m.cols }, source: `${data.name} + ${labels.name}` };
}

/** Null directions of the decoder test in the page (the CLI uses 8192; smallest p = 1 / 4097). */
export const SITE_NULL_SAMPLES = 4096;

/** At most this many rows are encoded for evidence in the page (near-duplicate search is quadratic in rows). */
export const MAX_EVIDENCE_ROWS = 4096;

const firstRows = (m: PlaygroundDataset['x'], n: number): PlaygroundDataset['x'] => (m.rows <= n ? m : { data: m.data.subarray(0, n * m.cols), rows: n, cols: m.cols });

/** The dataset rows to gather evidence on: a dataset the checkpoint could have seen (not the example's items under another checkpoint). */
export function evidenceRows(ck: LoadedCheckpoint, dataset: PlaygroundDataset | null): { evidence: PlaygroundDataset['x']; heldOut: PlaygroundDataset['x'] } | null {
  if (!dataset || dataset.x.cols !== ck.config.dIn) return null;
  if (dataset.kind === 'example' && !ck.source.startsWith('built-in example')) return null;
  const evidence = dataset.kind === 'demo' ? dataset.x : holdOut(dataset.x).train;
  return evidence.rows >= 8 ? { evidence: firstRows(evidence, MAX_EVIDENCE_ROWS), heldOut: firstRows(dataset.val, MAX_EVIDENCE_ROWS) } : null;
}

/**
 * Name every latent by issue 18's evidence rule (@msae/concepts nameWithEvidence, as `msae-eval name`): the decoder
 * test against a null model with false-discovery control and, with a dataset, the concept validated on rows not used
 * to choose it and checked on the held-out rows.
 */
export async function nameCheckpoint(ck: LoadedCheckpoint, vocabulary: VocabularyEmbeddings, dataset: PlaygroundDataset | null = null): Promise<SiteNaming> {
  const { dIn, dSae } = ck.config;
  if (vocabulary.embeddings.cols !== dIn) {
    throw new ArgumentError('', `the vocabulary has ${vocabulary.embeddings.cols} dimensions, the checkpoint d_in = ${dIn}`);
  }
  const rows = evidenceRows(ck, dataset);
  const k = ownK(ck.config) >= dSae ? undefined : ownK(ck.config);
  const encoded = async (data: PlaygroundDataset['x']): Promise<EvidenceData> => {
    const codes = await encodeSparseCodes({ data, encoder: { ...ck.params, dIn, dSae, architecture: ck.config.architecture }, normalization: ck.normalization, k });
    return { data, columns: latentColumns(codes), duplicates: await findNearDuplicates(data) };
  };
  const evidence = rows ? await encoded(rows.evidence) : undefined;
  const heldOut = rows && rows.heldOut.rows > 0 ? await encoded(rows.heldOut) : undefined;
  const result = await nameWithEvidence({
    decoder: { data: ck.params.W_dec, rows: dSae, cols: dIn },
    vocabulary,
    normalization: ck.normalization,
    nullSamples: SITE_NULL_SAMPLES,
    ...(evidence ? { evidence } : {}),
    ...(heldOut ? { heldOut } : {}),
  });
  return toSiteNaming(result, rows ? { rows: rows.evidence.rows } : undefined, heldOut?.data.rows);
}
