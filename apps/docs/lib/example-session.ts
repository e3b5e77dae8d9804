import { ArgumentError } from '@msae/core';
import type { SiteNaming } from './evidence-naming.js';
import { parseEmbeddings } from '@msae/io/browser';
import { checkpointFromFiles } from './checkpoint-files.js';
import { holdOut, type LoadedCheckpoint, type PlaygroundDataset } from './session-store.js';

/** The built-in real example the site ships (public/example/, made by scripts/make-example.mjs). */
export interface ExampleSession {
  checkpoint: LoadedCheckpoint;
  dataset: PlaygroundDataset;
  naming: SiteNaming;
  /** The shipped vocabulary the names come from. */
  vocabularyId: string;
}

/** Fetch the example from the site itself (`<base>example/`): no request leaves the page's host. */
export async function loadExample(base: string): Promise<ExampleSession> {
  const url = (f: string) => new URL(`${base}example/${f}`, location.origin).href;
  const get = async (f: string) => {
    const res = await fetch(url(f));
    if (!res.ok) throw new ArgumentError('', `the built-in example is missing ${f} (HTTP ${res.status})`);
    return res;
  };
  const [cfgJson, weights, items, captions, names, manifest] = await Promise.all([
    get('cfg.json').then((r) => r.text()),
    get('sae_weights.safetensors').then(async (r) => new Uint8Array(await r.arrayBuffer())),
    get('items.f16.npy').then(async (r) => new Uint8Array(await r.arrayBuffer())),
    get('items.json').then((r) => r.json() as Promise<string[]>),
    get('names.json').then((r) => r.json() as Promise<SiteNaming>),
    get('example.json').then((r) => r.json() as Promise<{ vocabulary: string; items: number }>),
  ]);
  const m = parseEmbeddings(items, 'items.f16.npy');
  const x = { data: m.data, rows: m.rows, cols: m.cols };
  return {
    checkpoint: checkpointFromFiles(cfgJson, weights, 'built-in example: msae-rw 512 → 1024, k 32, trained on 8,601 real CLIP ViT-B/32 image embeddings'),
    dataset: { name: `built-in example: ${manifest.items} real CLIP ViT-B/32 image embeddings (held out)`, kind: 'example', x, val: holdOut(x).val, labels: captions },
    naming: names,
    vocabularyId: manifest.vocabulary,
  };
}
