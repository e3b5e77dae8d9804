import { shallowReactive } from 'vue';
import type { Matrix, Normalization, SaeConfig, SaeParams } from '@msae/core';
import type { EvalRecord } from '@msae/metrics';
import type { VocabularyEmbeddings } from '@msae/concepts/browser';
import type { SiteNaming } from './evidence-naming.js';
import type { SparseCodes } from './worker-protocol.js';

/** Embeddings the playground works on, with what a person can look at for each row. */
export interface PlaygroundDataset {
  name: string;
  kind: 'demo' | 'file' | 'photos' | 'example';
  x: Matrix;
  /** Held-out rows (demo: its own val split; else the last 10%). */
  val: Matrix;
  /** Per row: a caption or label (shown as text). */
  labels?: string[];
  /** Per row: an image URL (object URL of a picked photo). */
  thumbnails?: string[];
  /** Per row: the picked image itself (kept so a saved session can show it again after a reload). */
  images?: Blob[];
}

export interface LoadedCheckpoint {
  source: string;
  config: SaeConfig;
  params: SaeParams;
  normalization: Normalization;
  cfgJson: string;
  weights: Uint8Array;
  records?: EvalRecord[];
}

/** The Search & steer view's state: kept across views, reloads (IndexedDB) and in its URL. */
export interface SearchState {
  mode: 'item' | 'text';
  item: number;
  text: string;
  /** Slider settings: latent -> strength (only the sliders the visitor has). */
  sliders: Array<{ latent: number; value: number }>;
}

export interface ClipModelChoice {
  model: string;
  /** URL prefix of a local model folder (transformers.js localModelPath); undefined = Hugging Face hub. */
  localModelPath?: string;
}

/**
 * State shared by the playground pages across client-side navigation (nothing leaves the page):
 * the dataset, the checkpoint, the vocabulary, the CLIP model used for photos (text queries reuse it).
 */
export const playground = shallowReactive({
  dataset: null as PlaygroundDataset | null,
  checkpoint: null as LoadedCheckpoint | null,
  vocabulary: null as (VocabularyEmbeddings & { source: string }) | null,
  /** The vocabulary `naming` came from: a shipped id, 'dropped', or '' (no names). */
  namingSource: '' as string,
  clip: null as ClipModelChoice | null,
  /** Names of the checkpoint's latents under `vocabulary`. */
  naming: null as SiteNaming | null,
  /** The dataset's codes under the checkpoint (top k per row). */
  codes: null as SparseCodes | null,
  backendNote: '' as string,
  search: null as SearchState | null,
  /** The Train form's last settings (field -> value). */
  trainSettings: null as Record<string, unknown> | null,
});

/** The first 90% for training, the last 10% held out (at least one row each). */
export function holdOut(x: Matrix): { train: Matrix; val: Matrix } {
  const nVal = Math.max(1, Math.round(x.rows * 0.1));
  const nTrain = Math.max(1, x.rows - nVal);
  return {
    train: { data: x.data.subarray(0, nTrain * x.cols), rows: nTrain, cols: x.cols },
    val: { data: x.data.subarray((x.rows - nVal) * x.cols), rows: nVal, cols: x.cols },
  };
}
