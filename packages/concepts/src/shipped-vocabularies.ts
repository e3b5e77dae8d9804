import { parseEmbeddings } from '@msae/io/browser';
import type { VocabularyEmbeddings } from './name-latents.js';

/** A real CLIP text vocabulary shipped in `@msae/concepts/vocab/` as float16 .npy + a JSON label list. */
export interface ShippedVocabulary {
  /** Stable id, e.g. `clip-vit-b32-detic-1592`. */
  id: string;
  /** The CLIP model whose text tower embedded the labels (a checkpoint trained on its image embeddings gets names). */
  model: string;
  dim: number;
  size: number;
  /** File names inside the package's `vocab/` folder. */
  embeddingsFile: string;
  labelsFile: string;
  /** Licence file next to them and a one-line attribution. */
  licenseFile: string;
  attribution: string;
  description: string;
}

const DETIC = 'Detic (facebookresearch/Detic), Apache-2.0: CLIP ViT-B/32 text embeddings of "a {name}"';

/** The vocabularies shipped with the package, smallest first. */
export const SHIPPED_VOCABULARIES: readonly ShippedVocabulary[] = [
  {
    id: 'clip-vit-b32-detic-1592',
    model: 'openai/clip-vit-base-patch32',
    dim: 512,
    size: 1592,
    embeddingsFile: 'clip-vit-b32-detic-1592.f16.npy',
    labelsFile: 'clip-vit-b32-detic-1592.json',
    licenseFile: 'LICENSE.Detic',
    attribution: DETIC,
    description: '1,592 object names: LVIS, Objects365, OpenImages and COCO classes',
  },
  {
    id: 'clip-vit-b32-imagenet-detic-2303',
    model: 'openai/clip-vit-base-patch32',
    dim: 512,
    size: 2303,
    embeddingsFile: 'clip-vit-b32-imagenet-detic-2303.f16.npy',
    labelsFile: 'clip-vit-b32-imagenet-detic-2303.json',
    licenseFile: 'LICENSE.Detic',
    attribution: `ImageNet zero-shot heads + ${DETIC}`,
    description: '2,303 concepts: the ImageNet classes, then the Detic object names not among them',
  },
];

import { ShippedVocabularyError } from './errors.js';

export { ShippedVocabularyError } from './errors.js';

/** The catalogue entry of `id`; throws ShippedVocabularyError naming the known ids. */
export function shippedVocabulary(id: string): ShippedVocabulary {
  const found = SHIPPED_VOCABULARIES.find((v) => v.id === id);
  if (!found) throw new ShippedVocabularyError(id, `unknown shipped vocabulary (known: ${SHIPPED_VOCABULARIES.map((v) => v.id).join(', ')})`);
  return found;
}

/** Shipped vocabularies whose embedding dimension is `dim` (a checkpoint's d_in). */
export function shippedVocabulariesFor(dim: number): ShippedVocabulary[] {
  return SHIPPED_VOCABULARIES.filter((v) => v.dim === dim);
}

/**
 * Decode a shipped vocabulary from the bytes of its two files (browser-safe: pass fetched bytes):
 * the float16 .npy becomes a float32 matrix, the JSON a label list of the same length.
 */
export function decodeShippedVocabulary(vocab: ShippedVocabulary, npyBytes: Uint8Array | ArrayBuffer, labelsJson: string): VocabularyEmbeddings {
  const embeddings = parseEmbeddings(npyBytes, vocab.embeddingsFile);
  const labels: unknown = JSON.parse(labelsJson);
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
    throw new ShippedVocabularyError(vocab.labelsFile, 'must be a JSON array of strings');
  }
  if (embeddings.rows !== vocab.size || embeddings.cols !== vocab.dim) {
    throw new ShippedVocabularyError(vocab.embeddingsFile, `shape [${embeddings.rows}, ${embeddings.cols}], expected [${vocab.size}, ${vocab.dim}]`);
  }
  if (labels.length !== embeddings.rows) {
    throw new ShippedVocabularyError(vocab.labelsFile, `has ${labels.length} labels for ${embeddings.rows} embeddings`);
  }
  return { labels: labels as string[], embeddings: { data: embeddings.data, rows: embeddings.rows, cols: embeddings.cols } };
}

/**
 * Fetch and decode a shipped vocabulary in the browser: `baseUrl` is where the `vocab/` files are served
 * (e.g. the docs site's `/vocab/`).
 */
export async function fetchShippedVocabulary(id: string, baseUrl: string, fetchFn: typeof fetch = fetch): Promise<VocabularyEmbeddings> {
  const vocab = shippedVocabulary(id);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (file: string) => {
    const res = await fetchFn(`${base}${file}`);
    if (!res.ok) throw new ShippedVocabularyError(id, `fetching ${base}${file} failed (HTTP ${res.status})`);
    return res;
  };
  const [npy, labels] = await Promise.all([get(vocab.embeddingsFile).then((r) => r.arrayBuffer()), get(vocab.labelsFile).then((r) => r.text())]);
  return decodeShippedVocabulary(vocab, npy, labels);
}
