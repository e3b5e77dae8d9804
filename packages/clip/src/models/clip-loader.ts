import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Processor,
} from '@huggingface/transformers';

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

const DEFAULT_LOCAL_MODEL_PATH = env.localModelPath;
const cache = new Map<string, Promise<unknown>>();
let loading: Promise<unknown> = Promise.resolve();

/** Point transformers.js at a local folder (remote off) or at the Hub. */
function applyLocation(loc: ModelLocation, wasmPaths?: string | { mjs: string; wasm: string }): void {
  if (loc.localRoot !== undefined) {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = loc.localRoot.endsWith('/') ? loc.localRoot : `${loc.localRoot}/`;
  } else {
    env.allowRemoteModels = true;
    env.localModelPath = DEFAULT_LOCAL_MODEL_PATH;
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
function cached<T>(key: string, loc: ModelLocation, wasmPaths: string | { mjs: string; wasm: string } | undefined, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = loading.then(() => {
      applyLocation(loc, wasmPaths);
      return load();
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
export function loadClipText(loc: ModelLocation, device: string, wasmPaths?: string | { mjs: string; wasm: string }): Promise<ClipTextTower> {
  return cached(`text|${loc.localRoot ?? ''}|${loc.id}|${device}`, loc, wasmPaths, async () => {
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
export function loadClipVision(loc: ModelLocation, device: string, wasmPaths?: string | { mjs: string; wasm: string }): Promise<ClipVisionTower> {
  return cached(`vision|${loc.localRoot ?? ''}|${loc.id}|${device}`, loc, wasmPaths, async () => {
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
