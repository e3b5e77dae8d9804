import type { Matrix, Normalization, SaeConfig, SaeParams } from '@msae/core';
import type { BackendRequest } from './engine-choice.js';
import type { TrainEvent, TrainOutcome, TrainSettings } from './train-session.js';
import type { SparseCodes, WorkerRequest, WorkerResponse } from './worker-protocol.js';

type Pending = { resolve(v: unknown): void; reject(e: Error): void; onEvent?: (e: TrainEvent) => void; onBackend?: (b: string, r: string) => void };

/** The page's side of the playground worker: one worker, requests matched to replies by id. */
export class PlaygroundWorker {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module', name: 'msae-playground' });
    this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`worker failed: ${e.message}`));
      this.pending.clear();
    };
  }

  private receive(msg: WorkerResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'backend') p.onBackend?.(msg.backend, msg.reason);
    else if (msg.type === 'event') p.onEvent?.(msg.event);
    else {
      this.pending.delete(msg.id);
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg.type === 'trained' ? msg.outcome : msg.codes);
    }
  }

  private request<T>(req: WorkerRequest, hooks: Omit<Pending, 'resolve' | 'reject'> = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(req.id, { resolve: resolve as (v: unknown) => void, reject, ...hooks });
      this.worker.postMessage(req);
    });
  }

  train(
    args: { backend: BackendRequest; base: string; train: Matrix; val: Matrix; settings: TrainSettings },
    hooks: { onEvent?: (e: TrainEvent) => void; onBackend?: (backend: string, reason: string) => void },
  ): Promise<TrainOutcome> {
    return this.request<TrainOutcome>({ id: this.next++, type: 'train', ...args }, hooks);
  }

  stop(): void {
    this.worker.postMessage({ id: this.next++, type: 'stop' } satisfies WorkerRequest);
  }

  encode(
    args: { backend: BackendRequest; base: string; config: SaeConfig; params: SaeParams; normalization: Normalization; x: Matrix; k: number },
    onBackend?: (backend: string, reason: string) => void,
  ): Promise<SparseCodes> {
    return this.request<SparseCodes>({ id: this.next++, type: 'encode', ...args }, { onBackend });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

let shared: PlaygroundWorker | null = null;

/** The one worker every playground view shares (created on first use, in the browser only). */
export function playgroundWorker(): PlaygroundWorker {
  shared ??= new PlaygroundWorker();
  return shared;
}
