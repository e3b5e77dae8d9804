import { latentStats, truncateCodes, type LatentStats } from './latent-stats.js';
import { playground } from './session-store.js';
import { playgroundWorker } from './worker-client.js';
import type { SparseCodes } from './worker-protocol.js';

/** Codes kept per item for the statistics: the checkpoint's k (ReLU: 64). */
export function statsK(): number {
  const c = playground.checkpoint;
  if (!c) return 0;
  return Math.min(c.config.architecture === 'relu' ? 64 : c.config.k, c.config.dSae);
}

let inFlight: { checkpoint: unknown; dataset: unknown; promise: Promise<SparseCodes | null> } | null = null;
/** The checkpoint and items the shared codes belong to. */
let owner: { checkpoint: unknown; dataset: unknown } = { checkpoint: null, dataset: null };

/**
 * The items' sparse codes under the checkpoint, encoded once in the worker and shared by the views:
 * up to 4k codes per item (the first k give the statistics, the rest the latents' Matryoshka levels).
 * Null when there are no items of the checkpoint's dimension.
 */
export function ensureCodes(base: string, onStatus?: (s: string) => void): Promise<SparseCodes | null> {
  const c = playground.checkpoint;
  const ds = playground.dataset;
  if (!c || !ds || ds.x.cols !== c.config.dIn) return Promise.resolve(null);
  if (playground.codes && owner.checkpoint === c && owner.dataset === ds) return Promise.resolve(playground.codes);
  if (inFlight && inFlight.checkpoint === c && inFlight.dataset === ds) return inFlight.promise;
  onStatus?.(`encoding ${ds.x.rows} items in the worker`);
  const promise = playgroundWorker()
    .encode({ backend: 'auto', base, config: c.config, params: c.params, normalization: c.normalization, x: ds.x, k: Math.min(c.config.dSae, 4 * statsK()) }, (b, r) => (playground.backendNote = `${b} (${r})`))
    .then((codes) => {
      if (playground.checkpoint !== c || playground.dataset !== ds) return null;
      playground.codes = codes;
      owner = { checkpoint: c, dataset: ds };
      onStatus?.('');
      return codes;
    });
  inFlight = { checkpoint: c, dataset: ds, promise };
  return promise;
}

/** Firing rate, mean and max activation of every latent at the checkpoint's k. */
export function statsOf(codes: SparseCodes): LatentStats {
  return latentStats(truncateCodes(codes, statsK()), playground.checkpoint!.config.dSae);
}
