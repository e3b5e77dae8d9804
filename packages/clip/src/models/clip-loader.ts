import type { PreTrainedModel, PreTrainedTokenizer, Processor } from '@huggingface/transformers';
import { loadTransformers, type Transformers } from './transformers-runtime.js';

/** Where a model comes from: a Hub id, or a folder `id` inside `localRoot` (offline). */
export interface ModelLocation {
  id: string;
  localRoot?: string;
}

export interface ClipTextTower {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  /** Text context length, start and end tokens included (CLIP: 77). */
  context: number;
}

export interface ClipVisionTower {
  processor: Processor;
  model: PreTrainedModel;
}

let defaultLocalModelPath: string | undefined;
const cache = new Map<string, Promise<unknown>>();
let loading: Promise<unknown> = Promise.resolve();

/** onnxruntime-web's files: a URL folder (the asyncify variant in it) or the two files' URLs of a variant. */
type WasmPaths = string | { mjs: string; wasm: string };

/** Point transformers.js at a local folder (remote off) or at the Hub. */
function applyLocation({ env }: Transformers, loc: ModelLocation, wasmPaths?: WasmPaths): void {
  defaultLocalModelPath ??= env.localModelPath;
  if (loc.localRoot !== undefined) {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = loc.localRoot.endsWith('/') ? loc.localRoot : `${loc.localRoot}/`;
  } else {
    env.allowRemoteModels = true;
    env.localModelPath = defaultLocalModelPath;
  }
  if (typeof wasmPaths === 'object') {
    const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown } };
    if (onnx.wasm) onnx.wasm.wasmPaths = { mjs: wasmPaths.mjs, wasm: wasmPaths.wasm };
  } else if (wasmPaths !== undefined) {
    const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown } };
    // The same onnxruntime-web files transformers.js would take from its CDN, from a local prefix instead.
    const prefix = wasmPaths.endsWith('/') ? wasmPaths : `${wasmPaths}/`;
    if (onnx.wasm) {
      onnx.wasm.wasmPaths = {
        mjs: `${prefix}ort-wasm-simd-threaded.asyncify.mjs`,
        wasm: `${prefix}ort-wasm-simd-threaded.asyncify.wasm`,
      };
    }
  }
}

/** Load once per (tower, location, device); loads are serialized because transformers.js' env is global. */
function cached<T>(
  key: string,
  loc: ModelLocation,
  wasmPaths: WasmPaths | undefined,
  load: (transformers: Transformers) => Promise<T>,
): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = loading.then(async () => {
      const transformers = await loadTransformers();
      applyLocation(transformers, loc, wasmPaths);
      return load(transformers);
    });
    loading = p.catch(() => undefined);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

function describe(loc: ModelLocation): string {
  return loc.localRoot !== undefined ? `${loc.localRoot.replace(/\/$/, '')}/${loc.id}` : loc.id;
}

function loadError(loc: ModelLocation, err: unknown): Error {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const hint = loc.localRoot === undefined && /fetch failed|ENOTFOUND|ECONNREFUSED/i.test(msg) ? ' (is huggingface.co reachable? use a local model folder offline)' : '';
  return new Error(`cannot load CLIP model ${describe(loc)}: ${msg}${hint}`);
}

/** CLIP text tower (tokenizer + CLIPTextModelWithProjection, fp32). */
export function loadClipText(loc: ModelLocation, device: string, wasmPaths?: WasmPaths): Promise<ClipTextTower> {
  return cached(`text|${loc.localRoot ?? ''}|${loc.id}|${device}`, loc, wasmPaths, async ({ AutoTokenizer, CLIPTextModelWithProjection }) => {
    try {
      const tokenizer = await AutoTokenizer.from_pretrained(loc.id);
      const model = await CLIPTextModelWithProjection.from_pretrained(loc.id, { dtype: 'fp32', device: device as never });
      const cfg = model.config as unknown as { text_config?: { max_position_embeddings?: number } };
      const context = cfg.text_config?.max_position_embeddings ?? 77;
      return { tokenizer, model, context };
    } catch (err) {
      throw loadError(loc, err);
    }
  });
}

/** CLIP vision tower (image processor + CLIPVisionModelWithProjection, fp32). */
export function loadClipVision(loc: ModelLocation, device: string, wasmPaths?: WasmPaths): Promise<ClipVisionTower> {
  return cached(`vision|${loc.localRoot ?? ''}|${loc.id}|${device}`, loc, wasmPaths, async ({ AutoProcessor, CLIPVisionModelWithProjection }) => {
    try {
      const processor = await AutoProcessor.from_pretrained(loc.id);
      const model = await CLIPVisionModelWithProjection.from_pretrained(loc.id, { dtype: 'fp32', device: device as never });
      return { processor, model };
    } catch (err) {
      throw loadError(loc, err);
    }
  });
}

/** Default device: onnxruntime-node on CPU in Node, onnxruntime-web wasm in a page. */
export function defaultDevice(): string {
  const isNode = typeof process !== 'undefined' && (process as { release?: { name?: string } }).release?.name === 'node';
  return isNode ? 'cpu' : 'wasm';
}
