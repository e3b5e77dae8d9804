import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { reactive, watch } from 'vue';
import type { VocabularyEmbeddings } from '@msae/concepts/browser';
import type { SiteNaming } from './evidence-naming.js';
import type { EvalRecord } from '@msae/metrics';
import { checkpointFromFiles } from './checkpoint-files.js';
import { loadExample } from './example-session.js';
import { playground, type ClipModelChoice, type PlaygroundDataset, type SearchState } from './session-store.js';

/** What one session keeps in IndexedDB (structured clones: typed arrays and Blobs as they are). */
interface SavedCheckpoint {
  source: string;
  cfgJson: string;
  weights: Uint8Array;
  records?: EvalRecord[];
}
type SavedDataset = Omit<PlaygroundDataset, 'thumbnails'>;
type SavedVocabulary = VocabularyEmbeddings & { source: string };

const KEYS = ['checkpoint', 'dataset', 'naming', 'namingSource', 'vocabulary', 'clip', 'search', 'trainSettings'] as const;

let store: UseStore | null = null;
const db = () => (store ??= createStore('msae-playground', 'session'));

/** How the session got here, for the session bar. */
export const sessionOrigin = reactive({ restored: false, example: false, persistError: '' });

function toSavedDataset(d: PlaygroundDataset | null): SavedDataset | null {
  if (!d) return null;
  const { thumbnails: _t, ...rest } = d;
  return rest;
}

function fromSavedDataset(d: SavedDataset): PlaygroundDataset {
  return { ...d, thumbnails: d.images?.map((b) => URL.createObjectURL(b)) };
}

async function save(key: (typeof KEYS)[number], value: unknown): Promise<void> {
  try {
    if (value === null || value === undefined) await del(key, db());
    else await set(key, value, db());
  } catch (err) {
    // Private windows may refuse IndexedDB: the session still works, it just does not outlive the page.
    sessionOrigin.persistError = err instanceof Error ? err.message : String(err);
  }
}

/** Write every change of the shared state through to IndexedDB. */
function autosave(): void {
  watch(() => playground.checkpoint, (c) => save('checkpoint', c ? ({ source: c.source, cfgJson: c.cfgJson, weights: c.weights, records: c.records ? JSON.parse(JSON.stringify(c.records)) : undefined } satisfies SavedCheckpoint) : null));
  watch(() => playground.dataset, (d) => save('dataset', toSavedDataset(d)));
  watch(() => playground.naming, (n) => save('naming', n ? JSON.parse(JSON.stringify(n)) : null));
  watch(() => playground.namingSource, (s) => save('namingSource', s));
  watch(() => playground.vocabulary, (v) => save('vocabulary', v ? { labels: [...v.labels], embeddings: v.embeddings, source: v.source } : null));
  watch(() => playground.clip, (c) => save('clip', c ? { ...c } : null));
  watch(() => playground.search, (s) => save('search', s ? JSON.parse(JSON.stringify(s)) : null), { deep: true });
  watch(() => playground.trainSettings, (s) => save('trainSettings', s ? { ...s } : null));
}

async function restore(base: string): Promise<void> {
  const saved = await Promise.all(KEYS.map((k) => get(k, db()).catch(() => undefined)));
  const [checkpoint, dataset, naming, namingSource, vocabulary, clip, search, trainSettings] = saved as [
    SavedCheckpoint?, SavedDataset?, SiteNaming?, string?, SavedVocabulary?, ClipModelChoice?, SearchState?, Record<string, unknown>?,
  ];
  if (checkpoint || dataset) {
    if (checkpoint) playground.checkpoint = { ...checkpointFromFiles(checkpoint.cfgJson, checkpoint.weights, checkpoint.source), records: checkpoint.records };
    if (dataset) playground.dataset = fromSavedDataset(dataset);
    playground.naming = naming ?? null;
    playground.namingSource = namingSource ?? '';
    playground.vocabulary = vocabulary ?? null;
    playground.clip = clip ?? null;
    playground.search = search ?? null;
    playground.trainSettings = trainSettings ?? null;
    sessionOrigin.restored = true;
    return;
  }
  playground.trainSettings = trainSettings ?? null;
  await startFromExample(base);
}

/** Replace the session by the built-in real example (checkpoint, items, names). */
export async function startFromExample(base: string): Promise<void> {
  const ex = await loadExample(base);
  playground.checkpoint = ex.checkpoint;
  playground.dataset = ex.dataset;
  playground.codes = null;
  playground.naming = ex.naming;
  playground.namingSource = ex.vocabularyId;
  playground.vocabulary = null;
  playground.search = null;
  sessionOrigin.example = true;
}

/** Forget the saved session (the next visit starts from the example again). */
export async function clearSavedSession(): Promise<void> {
  await Promise.all(KEYS.map((k) => del(k, db()).catch(() => undefined)));
}

let ready: Promise<void> | null = null;

/**
 * The session, once per page load: the one saved in this browser (IndexedDB) if any, else the built-in
 * example; from then on every change is saved. Every view awaits this before it reads the shared state.
 */
export function ensureSession(base: string): Promise<void> {
  ready ??= restore(base)
    .catch((err: unknown) => {
      sessionOrigin.persistError = err instanceof Error ? err.message : String(err);
    })
    .then(autosave);
  return ready;
}
