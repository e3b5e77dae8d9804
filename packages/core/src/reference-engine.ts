/**
 * The reference engine: the SAE math of the spec written plainly on typed arrays, accumulating in float64.
 * It is the oracle every other engine is tested against (see conformance.ts). Clear, not fast.
 */
import { ArgumentError } from './errors.js';
import { jumpReluGradients, thresholds } from './jumprelu-reference.js';
import type { OptimizerConfig, SaeConfig } from './config.js';
import { DEFAULT_OPTIMIZER } from './config.js';
import { validateConfig } from './config-resolution.js';
import { getArchitecture } from './architectures/registry.js';
import type { AdamState, EngineState, ForwardOutput, SaeEngine, SaeParams, StepResult } from './engine.js';
import { applyTrainingUpdate, cloneAdamState, zeroAdamState } from './optimizer.js';
import { cloneParams, validateParams } from './params.js';
import { topKMaskPerRow } from './topk-selection.js';
import { REFERENCE_ACTIVATIONS } from './reference-activations/index.js';
import type { ReferenceAux, ReferenceForward } from './reference-forward.js';

export type { ReferenceAux, ReferenceForward } from './reference-forward.js';
import { auxKEnabled, auxSelection, deadLatentMask, initialSamplesSinceFired, updateSamplesSinceFired } from './aux-k.js';
import { checkEngineRows } from './engine-input.js';

function checkInput(config: SaeConfig, x: Float32Array, rows: number, what: 'x' | 'z' = 'x'): void {
  checkEngineRows('reference', x, rows, what === 'z' ? config.dSae : config.dIn, what);
}

/** pre = (x - b_dec) W_enc + b_enc, returned with x - b_dec. */
function encodePre(config: SaeConfig, p: SaeParams, x: Float32Array, rows: number): { centred: Float64Array; pre: Float64Array } {
  const { dIn, dSae } = config;
  const centred = new Float64Array(rows * dIn);
  const pre = new Float64Array(rows * dSae);
  const { W_enc, b_enc, b_dec } = p;
  for (let b = 0; b < rows; b++) {
    const out = b * dSae;
    for (let j = 0; j < dSae; j++) pre[out + j] = b_enc[j];
    for (let d = 0; d < dIn; d++) {
      const c = x[b * dIn + d] - b_dec[d]; // x - b_dec
      centred[b * dIn + d] = c;
      if (c === 0) continue;
      const w = d * dSae;
      for (let j = 0; j < dSae; j++) pre[out + j] += c * W_enc[w + j]; // sum_d (x - b_dec)_d W_enc[d, j]
    }
  }
  return { centred, pre };
}

/** First level that keeps each latent (see ReferenceForward.level): the kernel of the architecture's activation kind. */
function selectLevels(config: SaeConfig, acts: Float64Array, rows: number, theta: Float64Array | null): Int32Array {
  return REFERENCE_ACTIVATIONS[getArchitecture(config.architecture).activation.train](config, acts, rows, theta);
}

/**
 * Full forward pass of the spec in float64. Exported for gradient checks and debugging. `dead` [dSae] marks the
 * dead latents of the AuxK loss (configs with auxK; absent = none dead, L_aux = 0).
 */
export function referenceForward(config: SaeConfig, p: SaeParams, x: Float32Array, rows: number, dead?: Uint8Array): ReferenceForward {
  const { dIn, dSae, nesting, weights } = config;
  const n = nesting.length;
  const { centred, pre } = encodePre(config, p, x, rows);
  const acts = pre.map((v) => (v > 0 ? v : 0)); // a = ReLU(pre)
  const theta = thresholds(config, p);
  const level = selectLevels(config, acts, rows, theta);

  // recon_i = z_i W_dec + b_dec, built incrementally: recon_i = recon_{i-1} + sum_{j: level[b,j] == i} a_bj W_dec[j]
  const recons: Float64Array[] = [];
  const W_dec = p.W_dec;
  const running = new Float64Array(rows * dIn);
  for (let b = 0; b < rows; b++) for (let d = 0; d < dIn; d++) running[b * dIn + d] = p.b_dec[d];
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < dSae; j++) {
        const e = b * dSae + j;
        if (level[e] !== i || acts[e] === 0) continue;
        const a = acts[e];
        const wo = j * dIn;
        const ro = b * dIn;
        for (let d = 0; d < dIn; d++) running[ro + d] += a * W_dec[wo + d];
      }
    }
    recons.push(running.slice());
  }

  const levelLosses = recons.map((r) => reconstructionLoss(config, r, x, rows));
  const wSum = weights.reduce((a, b) => a + b, 0);
  const reconLoss = levelLosses.reduce((acc, L, i) => acc + weights[i] * L, 0) / wSum; // sum_i w_i L_i / sum_i w_i
  let l1Loss = 0;
  if (config.l1 > 0) {
    // l1 * mean_b( sum_j |z_bj| / ||x_b|| )
    for (let b = 0; b < rows; b++) {
      let s = 0;
      for (let j = 0; j < dSae; j++) if (level[b * dSae + j] < n) s += Math.abs(acts[b * dSae + j]);
      l1Loss += s / rowNorm(x, b, dIn);
    }
    l1Loss = (config.l1 * l1Loss) / rows;
  }
  let l0Loss = 0;
  if (theta) {
    // l0 * mean_b sum_j H(pre_bj - theta_j)
    let active = 0;
    for (let e = 0; e < level.length; e++) if (level[e] === 0) active++;
    l0Loss = ((config.l0 ?? 0) * active) / rows;
  }
  const aux = auxKEnabled(config) ? auxForward(config, p, x, rows, acts, recons[0], dead ?? new Uint8Array(dSae)) : null;
  const auxTerm = aux ? (config.auxWeight ?? 0) * aux.loss : 0;
  return { rows, centred, pre, acts, level, recons, levelLosses, reconLoss, l1Loss, theta, l0Loss, aux, loss: reconLoss + l1Loss + l0Loss + auxTerm };
}

/** e = x - recon_0; e^ = sum over the AuxK entries of a_bj W_dec[j]; L_aux = scale * Loss(e^, e) (see aux-k.ts). */
function auxForward(config: SaeConfig, p: SaeParams, x: Float32Array, rows: number, acts: Float64Array, recon0: Float64Array, dead: Uint8Array): ReferenceAux {
  const { dIn, dSae } = config;
  const sel = auxSelection(acts, rows, dSae, dead, config.auxK ?? 0);
  const residual = new Float64Array(rows * dIn);
  for (let e = 0; e < residual.length; e++) residual[e] = x[e] - recon0[e]; // e = x - recon_0
  const recon = new Float64Array(rows * dIn);
  for (let b = 0; b < rows; b++) {
    for (let j = 0; j < dSae; j++) {
      if (!sel.mask[b * dSae + j]) continue;
      const a = acts[b * dSae + j];
      for (let d = 0; d < dIn; d++) recon[b * dIn + d] += a * p.W_dec[j * dIn + d]; // e^ = sum a_bj W_dec[j]
    }
  }
  let total = 0;
  for (let b = 0; b < rows; b++) {
    let err = 0;
    let energy = 0;
    for (let d = 0; d < dIn; d++) {
      const diff = recon[b * dIn + d] - residual[b * dIn + d];
      err += diff * diff;
      energy += x[b * dIn + d] * x[b * dIn + d];
    }
    total += config.loss === 'nmse' ? err / energy : err; // nmse: ||e^_b - e_b||^2 / ||x_b||^2
  }
  const norm = config.loss === 'nmse' ? total / rows : total / (rows * dIn);
  return { mask: sel.mask, scale: sel.scale, dead: sel.dead, residual, recon, loss: sel.scale * norm };
}

/** fired[j] = 1 iff some row keeps latent j at level 0 with a > 0 (the AuxK liveness rule). */
export function referenceFired(config: SaeConfig, f: ReferenceForward): Uint8Array {
  const fired = new Uint8Array(config.dSae);
  for (let e = 0; e < f.level.length; e++) if (f.level[e] === 0 && f.acts[e] > 0) fired[e % config.dSae] = 1;
  return fired;
}

function rowNorm(x: Float32Array, b: number, dIn: number): number {
  let s = 0;
  for (let d = 0; d < dIn; d++) s += x[b * dIn + d] * x[b * dIn + d];
  return Math.sqrt(s); // ||x_b||
}

/** nmse: mean_b( sum_d (r - x)^2 / sum_d x^2 );  mse: mean_{b,d} (r - x)^2. */
function reconstructionLoss(config: SaeConfig, r: Float64Array, x: Float32Array, rows: number): number {
  const dIn = config.dIn;
  let total = 0;
  for (let b = 0; b < rows; b++) {
    let err = 0;
    let energy = 0;
    for (let d = 0; d < dIn; d++) {
      const e = r[b * dIn + d] - x[b * dIn + d];
      err += e * e;
      energy += x[b * dIn + d] * x[b * dIn + d];
    }
    total += config.loss === 'nmse' ? err / energy : err;
  }
  return config.loss === 'nmse' ? total / rows : total / (rows * dIn);
}

/** Backward pass of the spec (straight-through on selected entries), gradients accumulated in float64. */
export function referenceGradients(config: SaeConfig, p: SaeParams, x: Float32Array, f: ReferenceForward): SaeParams {
  if (f.theta) return jumpReluGradients(config, p, x, f, f.theta);
  const { dIn, dSae, nesting, weights } = config;
  const n = nesting.length;
  const rows = f.rows;
  const wSum = weights.reduce((a, b) => a + b, 0);
  const gWenc = new Float64Array(dIn * dSae);
  const gBenc = new Float64Array(dSae);
  const gWdec = new Float64Array(dSae * dIn);
  const gBdec = new Float64Array(dIn);

  // dL/drecon_i[b] = (w_i / sum w) * 2 (r_i - x) / (B sum_d x_b^2)  [nmse]  or  / (B dIn)  [mse]
  // suffix[l][b] = sum_{i >= l} dL/drecon_i[b]: the gradient reaching a latent first kept at level l.
  const suffix: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(rows * dIn));
  for (let i = n - 1; i >= 0; i--) {
    const r = f.recons[i];
    const s = suffix[i];
    const next = suffix[i + 1];
    for (let b = 0; b < rows; b++) {
      let denom = rows * dIn;
      if (config.loss === 'nmse') {
        let energy = 0;
        for (let d = 0; d < dIn; d++) energy += x[b * dIn + d] * x[b * dIn + d];
        denom = rows * energy;
      }
      const c = ((weights[i] / wSum) * 2) / denom;
      for (let d = 0; d < dIn; d++) {
        const e = b * dIn + d;
        s[e] = next[e] + c * (r[e] - x[e]);
      }
    }
  }
  // b_dec through every reconstruction: sum_b sum_i dL/drecon_i[b]
  for (let b = 0; b < rows; b++) for (let d = 0; d < dIn; d++) gBdec[d] += suffix[0][b * dIn + d];

  const dpre = new Float64Array(dSae);
  const isActive = new Uint8Array(dSae);
  const active = new Int32Array(dSae); // latents of row b with dpre != 0
  const aux = f.aux;
  const auxCoef = aux ? (config.auxWeight ?? 0) * aux.scale : 0;
  const gAux = new Float64Array(dIn);
  const { W_enc, W_dec } = p;
  const { level, pre, acts, centred } = f;
  for (let b = 0; b < rows; b++) {
    const l1Coef = config.l1 > 0 ? config.l1 / (rows * rowNorm(x, b, dIn)) : 0; // d/dz of l1 * mean_b sum|z| / ||x_b||
    let nActive = 0;
    const xo = b * dIn;
    for (let j = 0; j < dSae; j++) {
      const e = b * dSae + j;
      const l = level[e];
      if (l >= n || !(pre[e] > 0)) continue; // straight-through only on selected entries with pre > 0
      const g = suffix[l];
      const a = acts[e];
      const wo = j * dIn;
      let dz = l1Coef;
      for (let d = 0; d < dIn; d++) {
        const gd = g[xo + d];
        dz += W_dec[wo + d] * gd; // W_dec[j] . sum_{i >= l} dL/drecon_i[b]
        gWdec[wo + d] += a * gd; // dL/dW_dec[j] += z_bj dL/drecon[b]
      }
      dpre[j] = dz;
      isActive[j] = 1;
      active[nActive++] = j;
    }
    if (aux && auxCoef > 0) {
      // d(auxWeight L_aux)/de^_b = auxWeight * scale * 2 (e^_b - e_b) / (B sum_d x_b^2)  [nmse]  or / (B dIn)  [mse]
      let denom = rows * dIn;
      if (config.loss === 'nmse') {
        let energy = 0;
        for (let d = 0; d < dIn; d++) energy += x[xo + d] * x[xo + d];
        denom = rows * energy;
      }
      for (let d = 0; d < dIn; d++) gAux[d] = (auxCoef * 2 * (aux.recon[xo + d] - aux.residual[xo + d])) / denom;
      for (let j = 0; j < dSae; j++) {
        const e = b * dSae + j;
        if (!aux.mask[e]) continue;
        const a = acts[e];
        const wo = j * dIn;
        let dz = 0;
        for (let d = 0; d < dIn; d++) {
          dz += W_dec[wo + d] * gAux[d]; // W_dec[j] . dL/de^_b
          gWdec[wo + d] += a * gAux[d]; // dL/dW_dec[j] += a_bj dL/de^_b
        }
        if (isActive[j]) dpre[j] += dz;
        else {
          dpre[j] = dz;
          isActive[j] = 1;
          active[nActive++] = j;
        }
      }
    }
    for (let d = 0; d < dIn; d++) {
      const c = centred[xo + d];
      const wo = d * dSae;
      let back = 0;
      for (let t = 0; t < nActive; t++) {
        const j = active[t];
        gWenc[wo + j] += c * dpre[j]; // dL/dW_enc[d, j] += (x - b_dec)_d dpre_j
        back += W_enc[wo + j] * dpre[j];
      }
      gBdec[d] -= back; // pre depends on -b_dec W_enc
    }
    for (let t = 0; t < nActive; t++) {
      gBenc[active[t]] += dpre[active[t]];
      isActive[active[t]] = 0;
    }
  }
  return {
    W_enc: Float32Array.from(gWenc),
    b_enc: Float32Array.from(gBenc),
    W_dec: Float32Array.from(gWdec),
    b_dec: Float32Array.from(gBdec),
  };
}

class ReferenceEngine implements SaeEngine {
  readonly name = 'reference';
  private config: SaeConfig | null = null;
  private params: SaeParams | null = null;
  private adam: AdamState | null = null;
  private optimizer: OptimizerConfig = DEFAULT_OPTIMIZER;

  /** The AuxK dead mask of the current counts (undefined when AuxK is off). */
  private dead(): Uint8Array | undefined {
    const { config, adam } = this.state();
    if (!auxKEnabled(config)) return undefined;
    return deadLatentMask(adam.samplesSinceFired!, config.deadAfter!);
  }

  private state(): { config: SaeConfig; params: SaeParams; adam: AdamState } {
    if (!this.config || !this.params || !this.adam) throw new ArgumentError('reference engine', 'call load() first');
    return { config: this.config, params: this.params, adam: this.adam };
  }

  async load(state: EngineState): Promise<void> {
    validateConfig(state.config, 'engine config');
    validateParams(state.config, state.params, 'engine params');
    if (state.adam) {
      validateParams(state.config, state.adam.m, 'engine adam.m');
      validateParams(state.config, state.adam.v, 'engine adam.v');
    }
    this.config = structuredCloneConfig(state.config);
    this.params = cloneParams(state.params);
    this.adam = state.adam ? cloneAdamState(state.adam) : zeroAdamState(state.config);
    if (state.adam?.samplesSinceFired && state.adam.samplesSinceFired.length !== state.config.dSae) {
      throw new ArgumentError('', `engine adam.samplesSinceFired has ${state.adam.samplesSinceFired.length} values, expected d_sae (${state.config.dSae})`);
    }
    if (auxKEnabled(state.config)) this.adam.samplesSinceFired ??= initialSamplesSinceFired(state.config.dSae);
    else delete this.adam.samplesSinceFired;
    this.optimizer = { ...DEFAULT_OPTIMIZER, ...(state.optimizer ?? {}) };
  }

  async forward(x: Float32Array, rows: number): Promise<ForwardOutput> {
    const { config, params } = this.state();
    checkInput(config, x, rows);
    const f = referenceForward(config, params, x, rows, this.dead());
    const n = config.nesting.length;
    const codes = new Float32Array(rows * config.dSae);
    for (let e = 0; e < codes.length; e++) if (f.level[e] < n) codes[e] = f.acts[e]; // codes of the largest level
    return {
      codes,
      recons: f.recons.map((r) => Float32Array.from(r)),
      levelLosses: f.levelLosses,
      loss: f.loss,
      ...(f.aux ? { auxLoss: f.aux.loss } : {}),
    };
  }

  async gradients(x: Float32Array, rows: number): Promise<{ loss: number; levelLosses: number[]; grads: SaeParams }> {
    const { config, params } = this.state();
    checkInput(config, x, rows);
    const f = referenceForward(config, params, x, rows, this.dead());
    return { loss: f.loss, levelLosses: f.levelLosses, grads: referenceGradients(config, params, x, f) };
  }

  async trainStep(x: Float32Array, rows: number, lr: number): Promise<StepResult> {
    const { config, params, adam } = this.state();
    checkInput(config, x, rows);
    const f = referenceForward(config, params, x, rows, this.dead()); // (1) loss and gradients at the current parameters
    const grads = referenceGradients(config, params, x, f);
    const gradNorm = applyTrainingUpdate(params, grads, adam, lr, config, this.optimizer); // (2)-(5)
    if (!f.aux) return { loss: f.loss, levelLosses: f.levelLosses, gradNorm };
    updateSamplesSinceFired(adam.samplesSinceFired!, referenceFired(config, f), rows, config.deadAfter!); // (6)
    return { loss: f.loss, levelLosses: f.levelLosses, gradNorm, auxLoss: f.aux.loss, deadLatents: f.aux.dead };
  }

  async encode(x: Float32Array, rows: number, k?: number): Promise<Float32Array> {
    const { config, params } = this.state();
    checkInput(config, x, rows);
    if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new ArgumentError(`reference engine`, `encode k must be a positive integer, got ${k}`);
    const { pre } = encodePre(config, params, x, rows);
    const theta = thresholds(config, params);
    if (theta) for (let e = 0; e < pre.length; e++) if (!(pre[e] > theta[e % config.dSae])) pre[e] = 0; // jumprelu: z = pre * H(pre - theta)
    const acts = Float32Array.from(pre, (v) => (v > 0 ? v : 0)); // a = ReLU(pre)
    if (k === undefined || k >= config.dSae) return acts; // every positive code
    // per-row TopK on the float64 values (so selection matches forward), values stored as float32
    const mask = topKMaskPerRow(pre.map((v) => (v > 0 ? v : 0)), rows, config.dSae, k);
    for (let e = 0; e < acts.length; e++) if (!mask[e]) acts[e] = 0;
    return acts;
  }

  async decode(z: Float32Array, rows: number): Promise<Float32Array> {
    const { config, params } = this.state();
    checkInput(config, z, rows, 'z');
    const { dIn, dSae } = config;
    const out = new Float32Array(rows * dIn);
    const acc = new Float64Array(dIn);
    for (let b = 0; b < rows; b++) {
      for (let d = 0; d < dIn; d++) acc[d] = params.b_dec[d];
      for (let j = 0; j < dSae; j++) {
        const v = z[b * dSae + j];
        if (v === 0) continue;
        for (let d = 0; d < dIn; d++) acc[d] += v * params.W_dec[j * dIn + d]; // z W_dec + b_dec
      }
      for (let d = 0; d < dIn; d++) out[b * dIn + d] = acc[d];
    }
    return out;
  }

  async exportState(): Promise<{ params: SaeParams; adam: AdamState }> {
    const { params, adam } = this.state();
    return { params: cloneParams(params), adam: cloneAdamState(adam) };
  }

  async dispose(): Promise<void> {
    this.config = null;
    this.params = null;
    this.adam = null;
  }
}

function structuredCloneConfig(c: SaeConfig): SaeConfig {
  return { ...c, nesting: c.nesting.slice(), weights: c.weights.slice() };
}

/** Create the reference engine (call load() before use). As an EngineFactory: `async () => createReferenceEngine()`. */
export function createReferenceEngine(): SaeEngine {
  return new ReferenceEngine();
}
