import { fetchShippedVocabulary, nameLatents, shippedVocabulariesFor as allShippedFor, type NamingResult, type VocabularyEmbeddings } from '@msae/concepts';
import { parseEmbeddings } from '@msae/io/browser';
import { readLabelFile } from './datasets.js';
import type { LoadedCheckpoint } from './session-store.js';

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
  if (!data || !labels) throw new Error('drop a vocabulary .npy and its labels .json/.txt together');
  const m = parseEmbeddings(new Uint8Array(await data.arrayBuffer()), data.name);
  const names = await readLabelFile(labels);
  if (names.length !== m.rows) throw new Error(`${labels.name}: ${names.length} labels for ${m.rows} rows of ${data.name}`);
  return { labels: names, embeddings: { data: m.data, rows: m.rows, cols: m.cols }, source: `${data.name} + ${labels.name}` };
}

/** Name every latent of the checkpoint with the vocabulary (decoder rows vs mean-centred concept embeddings). */
export async function nameCheckpoint(ck: LoadedCheckpoint, vocabulary: VocabularyEmbeddings): Promise<NamingResult> {
  if (vocabulary.embeddings.cols !== ck.config.dIn) {
    throw new Error(`the vocabulary has ${vocabulary.embeddings.cols} dimensions, the checkpoint d_in = ${ck.config.dIn}`);
  }
  return nameLatents({
    decoder: { data: ck.params.W_dec, rows: ck.config.dSae, cols: ck.config.dIn },
    vocabulary,
    normalization: ck.normalization,
  });
}
