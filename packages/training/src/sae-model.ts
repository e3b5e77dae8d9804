import { denormalize, encodeCheckpoint, normalize, ownK, type Checkpoint, type Matrix, type Normalization, type SaeConfig, type SaeEngine, type SaeParams } from '@msae/core';
import { evaluateSae, type EvalRecord } from '@msae/metrics';
import { TrainingError } from './errors.js';
import { checkRows } from './row-checks.js';

/** What @msae/concepts' nameLatents needs of a vocabulary: labels and their CLIP embeddings (row i embeds labels[i]). */
export interface NamingVocabulary {
  labels: string[];
  embeddings: Matrix;
}

/** A specifier the bundlers leave alone (a Node-only module must not enter a browser bundle). */
const hidden = (specifier: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ specifier);

/**
 * A trained SAE with its normalization, on a loaded engine: encode and decode raw rows, evaluate at any k, name the
 * latents, save. Rows are raw embeddings (the model normalizes them as it was trained); codes are [rows, d_sae].
 */
export class SaeModel {
  constructor(
    readonly config: SaeConfig,
    readonly normalization: Normalization,
    readonly params: SaeParams,
    readonly engine: SaeEngine,
    /** Training metadata (steps, epochs, seed, lr, stopped, ...), stored as cfg.json "training". */
    readonly training: Record<string, unknown>,
  ) {}

  /** Sparse codes of raw rows [rows, d_sae], each row's top-k positive codes (default: the architecture's own k). */
  async encode(x: Matrix, k = ownK(this.config)): Promise<Float32Array> {
    checkRows(x, this.config.dIn, 'x');
    return this.engine.encode(normalize(x.data, this.normalization), x.rows, k);
  }

  /** Raw-space reconstructions of codes [rows, d_sae]: x_hat = decode(z) * scale + mean. */
  async decode(codes: Float32Array, rows: number): Promise<Float32Array> {
    if (!(codes instanceof Float32Array) || codes.length !== rows * this.config.dSae) {
      throw new TrainingError('codes', `must be a Float32Array of rows x d_sae = ${rows} x ${this.config.dSae} = ${rows * this.config.dSae} values, got ${codes?.constructor?.name ?? typeof codes} of ${codes?.length}`);
    }
    return denormalize(await this.engine.decode(codes, rows), this.normalization);
  }

  /** FVU, cosine, L0, dead latents, ... of raw rows at each k (default: own k and d_sae); `cknnaRows` 0 skips CKNNA. */
  async evaluate(x: Matrix, ks: number[] = [...new Set([ownK(this.config), this.config.dSae])], cknnaRows = 0): Promise<EvalRecord[]> {
    checkRows(x, this.config.dIn, 'x');
    return evaluateSae({ engine: this.engine, x, normalization: this.normalization, ks, cknnaRows: Math.min(cknnaRows, x.rows) });
  }

  /**
   * Name the latents from a vocabulary with @msae/concepts' nameLatents (loaded on demand: install @msae/concepts;
   * no CLIP runtime is needed, the vocabulary is already embedded). `options`: nameLatents' other options.
   */
  async name(vocabulary: NamingVocabulary, options: Record<string, unknown> = {}): Promise<unknown> {
    let concepts: { nameLatents: (o: Record<string, unknown>) => Promise<unknown> };
    try {
      concepts = (await import('@msae/concepts')) as unknown as typeof concepts;
    } catch (cause) {
      throw new TrainingError('name()', 'needs @msae/concepts (npm install @msae/concepts)', { cause });
    }
    const decoder = { data: this.params.W_dec, rows: this.config.dSae, cols: this.config.dIn };
    return concepts.nameLatents({ decoder, vocabulary, normalization: this.normalization, ...options });
  }

  /** The checkpoint object (config, normalization, weights, training metadata). */
  checkpoint(): Checkpoint {
    return { config: this.config, normalization: this.normalization, params: this.params, training: this.training };
  }

  /** cfg.json text and sae_weights.safetensors bytes (SAELens layout), e.g. for a download in the browser. */
  toFiles(): { cfgJson: string; weights: Uint8Array } {
    return encodeCheckpoint(this.checkpoint());
  }

  /** Node: write the checkpoint directory (parents created; atomic, via @msae/io). In a browser use toFiles(). */
  async save(dir: string): Promise<void> {
    if (typeof process === 'undefined' || !process.versions?.node) throw new TrainingError(dir, 'save() writes files in Node; in a browser use toFiles()');
    const node = (await hidden('@msae/training/node')) as { saveModel: (m: SaeModel, d: string) => Promise<void> };
    await node.saveModel(this, dir);
  }

  /** Release the engine (GPU buffers, workers). */
  async dispose(): Promise<void> {
    await this.engine.dispose();
  }
}
