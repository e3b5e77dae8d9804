import * as tf from '@tensorflow/tfjs-core';
import { type AdamState, ArgumentError, cloneParams, type EngineState, type ForwardOutput, type OptimizerConfig, PARAM_NAMES, type ParamName, paramShapes, type SaeConfig, type SaeEngine, type SaeParams, type StepResult, validateConfig, validateParams } from '@msae/core';
import { DEFAULT_OPTIMIZER, checkEngineRows, auxKEnabled, deadLatentMask, updateSamplesSinceFired, hasThreshold, THRESHOLD_PARAM } from '@msae/core/internal';
import { activateBackend, ensureActive, type TfjsBackendName, type TfjsBackendOptions } from './backend-loader.js';
import { forwardTensors, gradientTensors, preActivations, type TensorParams } from './sae-math.js';
import { rowTopK } from './selection.js';
import { applyUpdate, type VariableState } from './training-step.js';

export type TfjsEngineOptions = TfjsBackendOptions;

/**
 * Create an SAE engine on TensorFlow.js. Backends: 'wasm' (default), 'cpu', 'webgpu' (browsers),
 * 'tensorflow' (@tensorflow/tfjs-node or -gpu, an optional peer). The backend is activated here;
 * every call re-activates it if another engine switched tfjs to a different backend meanwhile.
 */
export async function createTfjsEngine(options: TfjsEngineOptions = {}): Promise<SaeEngine> {
  const backend = await activateBackend(options);
  return new TfjsEngine(backend);
}

class TfjsEngine implements SaeEngine {
  readonly name: string;
  private config: SaeConfig | null = null;
  private optimizer: OptimizerConfig = DEFAULT_OPTIMIZER;
  private state: VariableState | null = null;
  /** AuxK: training samples since each latent last fired at level 0 (null when AuxK is off). */
  private since: Float32Array | null = null;

  private dead(): Uint8Array | undefined {
    return this.since && this.config ? deadLatentMask(this.since, this.config.deadAfter!) : undefined;
  }

  constructor(private readonly backend: TfjsBackendName) {
    // The name @msae/engines registers it under: tfjs-cpu, tfjs-wasm, tfjs-webgpu, tfjs-node.
    this.name = backend === 'tensorflow' ? 'tfjs-node' : `tfjs-${backend}`;
  }

  async load(state: EngineState): Promise<void> {
    await ensureActive(this.backend);
    const config: SaeConfig = { ...state.config, nesting: state.config.nesting.slice(), weights: state.config.weights.slice() };
    validateConfig(config, `${this.name} config`);
    validateParams(config, state.params, `${this.name} params`);
    if (state.adam) {
      validateParams(config, state.adam.m, `${this.name} adam.m`);
      validateParams(config, state.adam.v, `${this.name} adam.v`);
    }
    const shapes: Record<string, number[]> = paramShapes(config);
    // jumprelu also trains log_threshold [dSae] (theta = exp(log_threshold))
    const names: (ParamName | typeof THRESHOLD_PARAM)[] = [...PARAM_NAMES];
    if (hasThreshold(config)) {
      names.push(THRESHOLD_PARAM);
      shapes[THRESHOLD_PARAM] = [config.dSae];
    }
    this.disposeState();
    // Copy the caller's arrays (the cpu backend would otherwise keep a reference to them).
    const make = (src: SaeParams | undefined, k: ParamName | typeof THRESHOLD_PARAM): tf.Variable =>
      tf.tidy(() => tf.variable(src ? tf.tensor(src[k]!.slice(), shapes[k], 'float32') : tf.zeros(shapes[k]), true));
    const group = (src: SaeParams | undefined) => Object.fromEntries(names.map((k) => [k, make(src, k)])) as VariableState['params'];
    this.state = { params: group(state.params), m: group(state.adam?.m), v: group(state.adam?.v), step: state.adam?.step ?? 0 };
    this.config = config;
    this.optimizer = { ...DEFAULT_OPTIMIZER, ...state.optimizer };
    const since = state.adam?.samplesSinceFired;
    if (since && since.length !== config.dSae) throw new ArgumentError(`${this.name}`, `adam.samplesSinceFired has ${since.length} values, expected d_sae (${config.dSae})`);
    this.since = auxKEnabled(config) ? (since ? since.slice() : new Float32Array(config.dSae)) : null;
  }

  async forward(x: Float32Array, rows: number): Promise<ForwardOutput> {
    const { config, params } = await this.ready();
    const xt = this.input(x, rows, config.dIn, 'forward');
    const out = await forwardTensors(params, xt, config, this.dead()).finally(() => xt.dispose());
    try {
      const [codes, levelLosses, loss, ...recons] = await Promise.all([
        out.codes.data() as Promise<Float32Array>,
        out.levelLosses.data() as Promise<Float32Array>,
        out.loss.data() as Promise<Float32Array>,
        ...out.recons.map((r) => r.data() as Promise<Float32Array>),
      ]);
      const aux = out.auxLoss ? { auxLoss: ((await out.auxLoss.data()) as Float32Array)[0] } : {};
      return { codes, recons, levelLosses: Array.from(levelLosses), loss: loss[0], ...aux };
    } finally {
      tf.dispose([out.codes, out.levelLosses, out.loss, ...out.recons, ...(out.auxLoss ? [out.auxLoss] : [])]);
    }
  }

  async gradients(x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; grads: SaeParams }> {
    const { config, params } = await this.ready();
    const xt = this.input(x, rows, config.dIn, 'gradients');
    const out = await gradientTensors(params, xt, config, this.dead()).finally(() => xt.dispose());
    out.auxLoss?.dispose();
    try {
      const [loss, levelLosses, grads] = await Promise.all([
        out.loss.data() as Promise<Float32Array>,
        out.levelLosses.data() as Promise<Float32Array>,
        readParams(out.grads),
      ]);
      return { loss: loss[0], levelLosses: Array.from(levelLosses), grads };
    } finally {
      tf.dispose([out.loss, out.levelLosses, ...Object.values(out.grads)]);
    }
  }

  async trainStep(x: Float32Array, rows: number, lr: number): Promise<StepResult> {
    const { config, params } = await this.ready();
    const state = this.state!;
    const xt = this.input(x, rows, config.dIn, 'trainStep');
    const out = await gradientTensors(params, xt, config, this.dead()).finally(() => xt.dispose());
    const gradNorm = applyUpdate(state, out.grads, lr, this.optimizer);
    // (6) AuxK: s_j <- fired_j ? 0 : min(s_j + B, deadAfter)
    if (this.since && out.fired) updateSamplesSinceFired(this.since, out.fired, rows, config.deadAfter!);
    try {
      const [loss, levelLosses, norm] = await Promise.all([
        out.loss.data() as Promise<Float32Array>,
        out.levelLosses.data() as Promise<Float32Array>,
        gradNorm.data() as Promise<Float32Array>,
      ]);
      const aux = out.auxLoss ? { auxLoss: ((await out.auxLoss.data()) as Float32Array)[0], deadLatents: out.dead } : {};
      return { loss: loss[0], levelLosses: Array.from(levelLosses), gradNorm: norm[0], ...aux };
    } finally {
      tf.dispose([out.loss, out.levelLosses, gradNorm, ...Object.values(out.grads), ...(out.auxLoss ? [out.auxLoss] : [])]);
    }
  }

  async encode(x: Float32Array, rows: number, k?: number): Promise<Float32Array> {
    const { config, params } = await this.ready();
    if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new ArgumentError(`${this.name}.encode`, `k must be a positive integer, got ${k}`);
    const xt = this.input(x, rows, config.dIn, 'encode');
    const acts = tf.tidy(() => {
      const a = tf.relu(preActivations(params, xt)[1]) as tf.Tensor2D; // a = ReLU(pre)
      // jumprelu: z = pre * H(pre - theta), theta = exp(log_threshold) > 0
      return params.log_threshold ? (tf.mul(a, tf.cast(tf.greater(a, tf.exp(params.log_threshold)), 'float32')) as tf.Tensor2D) : a;
    });
    xt.dispose();
    const codes = await rowTopK(acts, k).finally(() => acts.dispose()); // per-row TopK_k(a)
    try {
      return (await codes.data()) as Float32Array;
    } finally {
      codes.dispose();
    }
  }

  async decode(z: Float32Array, rows: number): Promise<Float32Array> {
    const { config, params } = await this.ready();
    const zt = this.input(z, rows, config.dSae, 'decode');
    const recon = tf.tidy(() => tf.add(tf.matMul(zt, params.W_dec), params.b_dec)); // z W_dec + b_dec
    zt.dispose();
    try {
      return (await recon.data()) as Float32Array;
    } finally {
      recon.dispose();
    }
  }

  async exportState(): Promise<{ params: SaeParams; adam: AdamState }> {
    await this.ready();
    const s = this.state!;
    const [params, m, v] = await Promise.all([readParams(s.params), readParams(s.m), readParams(s.v)]);
    // Copies: some backends (cpu) hand out their internal arrays from data().
    const copy = cloneParams;
    const adam: AdamState = { m: copy(m), v: copy(v), step: s.step };
    if (this.since) adam.samplesSinceFired = this.since.slice();
    return { params: copy(params), adam };
  }

  async dispose(): Promise<void> {
    this.disposeState();
    this.config = null;
  }

  private async ready(): Promise<{ config: SaeConfig; params: TensorParams }> {
    if (this.config === null || this.state === null) throw new ArgumentError(`${this.name}`, `load() must be called first`);
    await ensureActive(this.backend);
    return { config: this.config, params: this.state.params as unknown as TensorParams };
  }

  private input(data: Float32Array, rows: number, cols: number, what: string): tf.Tensor2D {
    // checked here, so a wrong array gets msae's message instead of one from inside tfjs
    checkEngineRows(this.name, data, rows, cols, what === 'decode' ? 'z' : 'x');
    return tf.tensor2d(data, [rows, cols], 'float32');
  }

  private disposeState(): void {
    if (this.state === null) return;
    for (const group of [this.state.params, this.state.m, this.state.v]) {
      for (const v of Object.values(group)) v?.dispose();
    }
    this.state = null;
  }
}

/** Copy tensors (or variables) of the four parameters (and log_threshold when present) to Float32Arrays. */
async function readParams(t: Record<ParamName, tf.Tensor> & { log_threshold?: tf.Tensor }): Promise<SaeParams> {
  const [W_enc, b_enc, W_dec, b_dec] = await Promise.all(PARAM_NAMES.map((k) => t[k].data() as Promise<Float32Array>));
  const out: SaeParams = { W_enc, b_enc, W_dec, b_dec };
  if (t.log_threshold) out.log_threshold = (await t.log_threshold.data()) as Float32Array;
  return out;
}
