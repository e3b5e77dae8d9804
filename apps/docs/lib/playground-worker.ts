/// <reference lib="webworker" />
import { normalize, type SaeEngine } from '@msae/core';
import { chooseEngine, type BackendRequest } from './engine-choice.js';
import { sparsifyCodes } from './sparse-codes.js';
import { trainSae } from './train-session.js';
import type { SparseCodes, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** The playground's Web Worker: trains and encodes with the chosen engine, off the page's thread. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
/** Aborted by a Stop message; the training loop yields after every step, so Stop ends it within one step. */
let stop = new AbortController();

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

async function withEngine<T>(req: { id: number; backend: BackendRequest; base: string }, run: (e: SaeEngine) => Promise<T>): Promise<T> {
  const chosen = await chooseEngine(req.backend, req.base);
  post({ id: req.id, type: 'backend', backend: chosen.backend, reason: chosen.reason });
  try {
    return await run(chosen.engine);
  } finally {
    await chosen.engine.dispose();
  }
}

async function handle(req: WorkerRequest): Promise<void> {
  if (req.type === 'stop') {
    stop.abort();
    return;
  }
  if (req.type === 'train') {
    stop = new AbortController();
    const { signal } = stop;
    const outcome = await withEngine(req, (engine) => trainSae(engine, req.train, req.val, req.settings, (event) => post({ id: req.id, type: 'event', event }), signal));
    post({ id: req.id, type: 'trained', outcome }, [outcome.weights.buffer as ArrayBuffer]);
    return;
  }
  const codes = await withEngine(req, async (engine) => {
    await engine.load({ config: req.config, params: req.params });
    const { rows, cols } = req.x;
    const k = Math.min(req.k, req.config.dSae);
    const out: SparseCodes = { rows, k, index: new Int32Array(rows * k).fill(-1), value: new Float32Array(rows * k) };
    const block = 256;
    for (let r = 0; r < rows; r += block) {
      const n = Math.min(block, rows - r);
      const xn = normalize(req.x.data.subarray(r * cols, (r + n) * cols), req.normalization);
      const dense = await engine.encode(xn, n, k);
      sparsifyCodes(dense, n, req.config.dSae, k, out, r);
    }
    return out;
  });
  post({ id: req.id, type: 'encoded', codes }, [codes.index.buffer, codes.value.buffer]);
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).catch((err: unknown) => post({ id: e.data.id, type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
