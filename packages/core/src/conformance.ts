/**
 * Conformance suite: checks any SaeEngine against the reference engine on random inputs.
 * No test-framework dependency: each case's run() throws a descriptive Error on mismatch.
 *
 *   import { conformanceCases } from '@msae/core';
 *   for (const c of conformanceCases()) it(c.name, () => c.run(() => createMyEngine()));
 *
 * Comparisons are normwise: max_i |actual_i - expected_i| <= rtol * max(max_i |expected_i|, 1e-12)
 * per tensor (default rtol 1e-4, sized for float32 engines whose sums run over at most 96 terms here),
 * and |actual - expected| <= rtol * max(|expected|, 1e-12) for scalars (losses, gradient norm).
 * The sparsity pattern of codes (which entries are non-zero) must match exactly: the inputs are generated
 * so that no pre-activation is near 0 and no TopK boundary is near a tie (margin 1e-5 x rms(pre), about 10x the float32 rounding of a pre-activation here), both
 * at the initial parameters and after the first training step, so float32 rounding cannot flip a selection.
 */
import type { Architecture, ReconLoss, SaeConfig, Weighting } from './config.js';
import { resolveConfig } from './config-resolution.js';
import type { AdamState, EngineState, SaeEngine, SaeParams } from './engine.js';
import { cloneAdamState, projectDecoderGradient, renormalizeDecoder } from './optimizer.js';
import { PARAM_NAMES, cloneParams, zeroParams } from './params.js';
import { createReferenceEngine, referenceForward, referenceGradients } from './reference-engine.js';
import { Rng } from './rng.js';

export interface ConformanceOptions {
  /** Normwise relative tolerance (default 1e-4). */
  rtol?: number;
  /** Only configs of these architectures (default all four). */
  architectures?: Architecture[];
  /** Keep only cases whose name passes this filter. */
  filter?: (name: string) => boolean;
  /** Learning rate of the training-step cases (default 1e-2: large enough that the change of each parameter is far above float32 rounding). */
  lr?: number;
}

export interface ConformanceCase {
  /** e.g. "msae rw nmse d16x64 rows32: forward" */
  name: string;
  /** Run the case on a fresh engine from `factory` (disposed afterwards); throws on mismatch. */
  run(factory: () => SaeEngine | Promise<SaeEngine>): Promise<void>;
}

/** The configurations the suite covers (small sizes, several nesting levels, rows not a multiple of anything). */
export interface ConformanceConfig {
  name: string;
  config: SaeConfig;
  rows: number;
}

interface ConfigSpec {
  architecture: Architecture;
  dIn: number;
  dSae: number;
  k?: number;
  weighting?: Weighting;
  loss: ReconLoss;
  l1?: number;
  rows: number;
}

const SPECS: ConfigSpec[] = [
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'rw', loss: 'nmse', rows: 32 },
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'uw', loss: 'nmse', rows: 32 },
  { architecture: 'msae', dIn: 16, dSae: 64, k: 4, weighting: 'rw', loss: 'mse', rows: 37 },
  { architecture: 'msae', dIn: 24, dSae: 96, k: 4, weighting: 'uw', loss: 'mse', rows: 19 },
  { architecture: 'topk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32 },
  { architecture: 'topk', dIn: 16, dSae: 64, k: 8, loss: 'mse', rows: 37 },
  { architecture: 'batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'nmse', rows: 32 },
  { architecture: 'batchtopk', dIn: 16, dSae: 64, k: 8, loss: 'mse', rows: 37 },
  { architecture: 'relu', dIn: 16, dSae: 64, l1: 0.01, loss: 'nmse', rows: 32 },
  { architecture: 'relu', dIn: 16, dSae: 64, l1: 0.01, loss: 'mse', rows: 37 },
];

/** The configurations covered by the suite. */
export function conformanceConfigs(): ConformanceConfig[] {
  return SPECS.map((s) => {
    const config = resolveConfig({ dIn: s.dIn, dSae: s.dSae, architecture: s.architecture, k: s.k, weighting: s.weighting, loss: s.loss, l1: s.l1 });
    const w = s.architecture === 'msae' ? ` ${config.weighting}` : '';
    const k = s.architecture === 'relu' ? ` l1=${config.l1}` : ` k=${config.k}`;
    return { name: `${s.architecture}${w} ${s.loss}${k} d${s.dIn}x${s.dSae} rows${s.rows}`, config, rows: s.rows };
  });
}

/** Random inputs for one config, checked to have clear selection margins. */
interface Fixture {
  config: SaeConfig;
  rows: number;
  params: SaeParams;
  x: Float32Array;
  adamResumed: AdamState;
  encodeKs: (number | undefined)[];
  seed: number;
}

const MARGIN = 1e-5;

function randomParams(config: SaeConfig, rng: Rng): SaeParams {
  const { dIn, dSae } = config;
  const W_dec = new Float32Array(dSae * dIn);
  for (let j = 0; j < dSae; j++) {
    const norm = 0.5 + rng.uniform(); // rows of norm != 1 so the renormalization matters
    let sq = 0;
    const row = new Float64Array(dIn).map(() => rng.normal());
    for (const v of row) sq += v * v;
    for (let d = 0; d < dIn; d++) W_dec[j * dIn + d] = (row[d] * norm) / Math.sqrt(sq);
  }
  return {
    W_enc: new Float32Array(dIn * dSae).map(() => rng.normal() / Math.sqrt(dIn)),
    b_enc: new Float32Array(dSae).map(() => 0.3 * rng.normal()),
    W_dec,
    b_dec: new Float32Array(dIn).map(() => 0.2 * rng.normal()),
  };
}

function randomAdam(config: SaeConfig, rng: Rng): AdamState {
  const shaped = (draw: () => number): SaeParams => {
    const p = zeroParams(config);
    for (const n of PARAM_NAMES) for (let i = 0; i < p[n].length; i++) p[n][i] = draw();
    return p;
  };
  // moments of a plausible run: m ~ 1e-3 N(0, 1), v in 1e-6 [0.5, 1.5)
  return { m: shaped(() => 1e-3 * rng.normal()), v: shaped(() => 1e-6 * (0.5 + rng.uniform())), step: 5 };
}

/** Every selection boundary the cases exercise has a gap >= MARGIN * rms(pre), and no pre is within it of 0. */
function marginsOk(config: SaeConfig, params: SaeParams, x: Float32Array, rows: number, ks: number[]): boolean {
  const f = referenceForward(config, params, x, rows);
  const { dSae } = config;
  let ss = 0;
  for (const v of f.pre) ss += v * v;
  const m = MARGIN * Math.sqrt(ss / f.pre.length);
  for (const v of f.pre) if (Math.abs(v) < m) return false;
  const rowKs = ks.filter((k) => k < dSae);
  const sorted = new Float64Array(dSae);
  for (let b = 0; b < rows; b++) {
    sorted.set(f.acts.subarray(b * dSae, (b + 1) * dSae));
    sorted.sort().reverse();
    for (const k of rowKs) if (sorted[k - 1] > 0 && sorted[k - 1] - sorted[k] < m) return false;
  }
  if (config.architecture === 'batchtopk') {
    const all = Float64Array.from(f.acts).sort().reverse();
    const c = config.k * rows;
    if (c < all.length && all[c - 1] > 0 && all[c - 1] - all[c] < m) return false;
  }
  return true;
}

/**
 * The first AdamW step from zero moments moves each parameter by lr * g / (|g| + eps): a sign-like function of
 * g. Require every non-zero (projected) gradient entry to be >= 1e-5 * max |g| of its tensor, so float32 noise in
 * the gradient cannot flip a sign or land near eps.
 */
function gradientsClearOfZero(config: SaeConfig, params: SaeParams, x: Float32Array, rows: number): boolean {
  const grads = referenceGradients(config, params, x, referenceForward(config, params, x, rows));
  const unit = cloneParams(params);
  renormalizeDecoder(unit, config.dIn, config.dSae);
  projectDecoderGradient(grads.W_dec, unit.W_dec, config.dSae, config.dIn);
  for (const n of PARAM_NAMES) {
    let max = 0;
    for (const g of grads[n]) max = Math.max(max, Math.abs(g));
    for (const g of grads[n]) if (g !== 0 && Math.abs(g) < 1e-5 * max) return false;
  }
  return true;
}

async function afterOneStep(config: SaeConfig, params: SaeParams, adam: AdamState | undefined, x: Float32Array, rows: number, lr: number): Promise<SaeParams> {
  const ref = createReferenceEngine();
  await ref.load({ config, params, adam });
  await ref.trainStep(x, rows, lr);
  return (await ref.exportState()).params;
}

async function makeFixture(c: ConformanceConfig, index: number, lr: number): Promise<Fixture> {
  const { config, rows } = c;
  const encodeKs = [1, 3, config.architecture === 'relu' ? 16 : config.k, config.dSae - 1, config.dSae, undefined];
  const ks = [...new Set([...config.nesting, ...encodeKs.filter((k): k is number => k !== undefined)])];
  for (let attempt = 0; attempt < 500; attempt++) {
    const seed = 7919 * (index + 1) + attempt;
    const rng = new Rng(seed);
    const params = randomParams(config, rng);
    const x = new Float32Array(rows * config.dIn).map(() => rng.normal());
    const adamResumed = randomAdam(config, rng);
    if (!marginsOk(config, params, x, rows, ks)) continue;
    if (!gradientsClearOfZero(config, params, x, rows)) continue;
    // the two-step case runs a second step at the parameters after the first
    if (!marginsOk(config, await afterOneStep(config, params, adamResumed, x, rows, lr), x, rows, ks)) continue;
    return { config, rows, params, x, adamResumed, encodeKs, seed };
  }
  throw new Error(`conformance: could not generate inputs with clear TopK margins for ${c.name}`);
}

// ---------- comparisons ----------

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(6) : String(v);
}

/** Normwise tensor comparison: max |a - e| <= rtol * max(max |e|, 1e-12). */
export function assertTensorClose(where: string, tensor: string, actual: unknown, expected: ArrayLike<number>, rtol: number): void {
  if (!(actual instanceof Float32Array)) {
    throw new Error(`${where}: ${tensor} should be a Float32Array, got ${actual === null ? 'null' : typeof actual === 'object' ? (actual as object).constructor?.name : typeof actual}`);
  }
  if (actual.length !== expected.length) throw new Error(`${where}: ${tensor} has ${actual.length} values, expected ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= worstErr)) {
      worstErr = Number.isNaN(err) ? Infinity : err;
      worst = i;
    }
  }
  const allowed = rtol * Math.max(scale, 1e-12);
  if (worstErr > allowed) {
    throw new Error(
      `${where}: ${tensor} differs from the reference: max abs error ${fmt(worstErr)} at index ${worst} ` +
        `(got ${fmt(actual[worst])}, expected ${fmt(expected[worst])}), max |expected| ${fmt(scale)}, ` +
        `relative error ${fmt(worstErr / Math.max(scale, 1e-12))} > rtol ${rtol}`,
    );
  }
}

/** Scalar comparison: |a - e| <= rtol * max(|e|, 1e-12). */
export function assertScalarClose(where: string, what: string, actual: unknown, expected: number, rtol: number): void {
  if (typeof actual !== 'number') throw new Error(`${where}: ${what} should be a number, got ${typeof actual}`);
  const err = Math.abs(actual - expected);
  if (!(err <= rtol * Math.max(Math.abs(expected), 1e-12))) {
    throw new Error(`${where}: ${what} differs from the reference: got ${fmt(actual)}, expected ${fmt(expected)} (relative error ${fmt(err / Math.max(Math.abs(expected), 1e-12))} > rtol ${rtol})`);
  }
}

function assertScalarsClose(where: string, what: string, actual: unknown, expected: number[], rtol: number): void {
  if (!Array.isArray(actual) || actual.length !== expected.length) {
    throw new Error(`${where}: ${what} should be an array of ${expected.length} numbers, got ${Array.isArray(actual) ? actual.length : typeof actual}`);
  }
  expected.forEach((e, i) => assertScalarClose(where, `${what}[${i}]`, actual[i], e, rtol));
}

function assertSamePattern(where: string, tensor: string, actual: Float32Array, expected: Float32Array, cols: number): void {
  for (let i = 0; i < expected.length; i++) {
    if ((actual[i] !== 0) !== (expected[i] !== 0)) {
      throw new Error(
        `${where}: ${tensor} non-zero pattern differs at row ${Math.floor(i / cols)} latent ${i % cols} ` +
          `(got ${fmt(actual[i])}, expected ${fmt(expected[i])})`,
      );
    }
  }
}

function assertParamsClose(where: string, prefix: string, actual: SaeParams, expected: SaeParams, rtol: number): void {
  if (!actual || typeof actual !== 'object') throw new Error(`${where}: ${prefix} missing`);
  for (const n of PARAM_NAMES) assertTensorClose(where, `${prefix}${n}`, actual[n], expected[n], rtol);
}

function assertParamsEqual(where: string, prefix: string, actual: SaeParams, expected: SaeParams): void {
  for (const n of PARAM_NAMES) {
    const a = actual[n];
    const e = expected[n];
    if (!(a instanceof Float32Array) || a.length !== e.length) throw new Error(`${where}: ${prefix}${n} is not a Float32Array of ${e.length} values`);
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(a[i], e[i]) && a[i] !== e[i]) throw new Error(`${where}: ${prefix}${n}[${i}] changed: ${a[i]} vs ${e[i]} (expected a bit-exact round trip)`);
    }
  }
}

// ---------- cases ----------

async function withEngines(
  factory: () => SaeEngine | Promise<SaeEngine>,
  state: EngineState,
  body: (engine: SaeEngine, ref: SaeEngine) => Promise<void>,
): Promise<void> {
  const engine = await factory();
  const ref = createReferenceEngine();
  try {
    await engine.load(copyState(state));
    await ref.load(copyState(state));
    await body(engine, ref);
  } finally {
    await engine.dispose();
    await ref.dispose();
  }
}

function copyState(s: EngineState): EngineState {
  return {
    config: { ...s.config, nesting: s.config.nesting.slice(), weights: s.config.weights.slice() },
    params: cloneParams(s.params),
    optimizer: s.optimizer ? { ...s.optimizer } : undefined,
    adam: s.adam ? cloneAdamState(s.adam) : undefined,
  };
}

/**
 * The conformance cases: for every config, forward (codes, every level's reconstruction, level losses, loss),
 * gradients, one trainStep from zero Adam state, two trainSteps from a resumed Adam state (step 5),
 * a trainStep at lr 0 (renormalization only), encode at several k (incl. undefined), decode,
 * and a load/exportState round trip.
 */
export function conformanceCases(options: ConformanceOptions = {}): ConformanceCase[] {
  const rtol = options.rtol ?? 1e-4;
  const lr = options.lr ?? 1e-2;
  const configs = conformanceConfigs()
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !options.architectures || options.architectures.includes(c.config.architecture));
  const cases: ConformanceCase[] = [];
  for (const { c, i } of configs) {
    let fixture: Promise<Fixture> | null = null;
    const getFixture = (): Promise<Fixture> => (fixture ??= makeFixture(c, i, lr));
    const add = (what: string, body: (f: Fixture, where: string, factory: () => SaeEngine | Promise<SaeEngine>) => Promise<void>) => {
      const name = `${c.name}: ${what}`;
      cases.push({ name, run: async (factory) => body(await getFixture(), name, factory) });
    };

    add('forward', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params }, async (engine, ref) => {
        const got = await engine.forward(f.x, f.rows);
        const exp = await ref.forward(f.x, f.rows);
        assertTensorClose(where, 'codes', got.codes, exp.codes, rtol);
        assertSamePattern(where, 'codes', got.codes, exp.codes, f.config.dSae);
        if (!Array.isArray(got.recons) || got.recons.length !== exp.recons.length) {
          throw new Error(`${where}: expected ${exp.recons.length} reconstructions (one per nesting level), got ${Array.isArray(got.recons) ? got.recons.length : typeof got.recons}`);
        }
        exp.recons.forEach((r, li) => assertTensorClose(where, `recons[${li}] (k=${f.config.nesting[li]})`, got.recons[li], r, rtol));
        assertScalarsClose(where, 'levelLosses', got.levelLosses, exp.levelLosses, rtol);
        assertScalarClose(where, 'loss', got.loss, exp.loss, rtol);
      }),
    );

    add('gradients', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params }, async (engine, ref) => {
        const got = await engine.gradients(f.x, f.rows);
        const exp = await ref.gradients(f.x, f.rows);
        assertScalarClose(where, 'loss', got.loss, exp.loss, rtol);
        assertScalarsClose(where, 'levelLosses', got.levelLosses, exp.levelLosses, rtol);
        assertParamsClose(where, 'grad ', got.grads, exp.grads, rtol);
        // gradients() must not change the parameters
        const after = await engine.exportState();
        assertParamsClose(where, 'params after gradients() ', after.params, f.params, rtol);
      }),
    );

    const stepCase = (what: string, state: (f: Fixture) => EngineState, steps: number, stepLr: number) =>
      add(what, async (f, where, factory) =>
        withEngines(factory, state(f), async (engine, ref) => {
          for (let s = 0; s < steps; s++) {
            const got = await engine.trainStep(f.x, f.rows, stepLr);
            const exp = await ref.trainStep(f.x, f.rows, stepLr);
            const at = `${where} (step ${s + 1})`;
            assertScalarClose(at, 'loss', got.loss, exp.loss, rtol);
            assertScalarsClose(at, 'levelLosses', got.levelLosses, exp.levelLosses, rtol);
            assertScalarClose(at, 'gradNorm', got.gradNorm, exp.gradNorm, rtol);
          }
          const got = await engine.exportState();
          const exp = await ref.exportState();
          assertParamsClose(where, 'params ', got.params, exp.params, rtol);
          // the change of each tensor (a 1% learning-rate error is far below rtol of the parameters themselves)
          const start = state(f).params;
          for (const n of PARAM_NAMES) {
            const delta = (t: Float32Array) => Float32Array.from(t, (v, i) => v - start[n][i]);
            assertTensorClose(where, `change of ${n}`, delta(got.params[n]), delta(exp.params[n]), rtol);
          }
          assertParamsClose(where, 'adam.m ', got.adam.m, exp.adam.m, rtol);
          assertParamsClose(where, 'adam.v ', got.adam.v, exp.adam.v, rtol);
          if (got.adam.step !== exp.adam.step) throw new Error(`${where}: adam.step is ${got.adam.step}, expected ${exp.adam.step}`);
        }),
      );
    stepCase('trainStep from zero Adam state', (f) => ({ config: f.config, params: f.params }), 1, lr);
    stepCase('two trainSteps from a resumed Adam state (step 5)', (f) => ({ config: f.config, params: f.params, adam: f.adamResumed }), 2, lr);
    stepCase('trainStep at lr 0 (renormalization only)', (f) => ({ config: f.config, params: f.params, adam: f.adamResumed }), 1, 0);

    add('encode at several k', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params }, async (engine, ref) => {
        for (const k of f.encodeKs) {
          const got = await engine.encode(f.x, f.rows, k);
          const exp = await ref.encode(f.x, f.rows, k);
          assertTensorClose(where, `encode(k=${k})`, got, exp, rtol);
          assertSamePattern(where, `encode(k=${k})`, got, exp, f.config.dSae);
        }
      }),
    );

    add('decode', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params }, async (engine, ref) => {
        const sparse = await ref.encode(f.x, f.rows, f.config.k);
        const rng = new Rng(f.seed + 1);
        const dense = new Float32Array(f.rows * f.config.dSae).map(() => rng.normal());
        for (const [label, z] of [['sparse codes', sparse], ['dense random codes', dense]] as const) {
          assertTensorClose(where, `decode(${label})`, await engine.decode(z, f.rows), await ref.decode(z, f.rows), rtol);
        }
      }),
    );

    add('load/exportState round trip', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params, adam: f.adamResumed }, async (engine) => {
        await engine.forward(f.x, f.rows); // forward must not change the state
        const first = await engine.exportState();
        assertParamsEqual(where, 'params ', first.params, f.params);
        assertParamsEqual(where, 'adam.m ', first.adam.m, f.adamResumed.m);
        assertParamsEqual(where, 'adam.v ', first.adam.v, f.adamResumed.v);
        if (first.adam.step !== f.adamResumed.step) throw new Error(`${where}: adam.step is ${first.adam.step}, expected ${f.adamResumed.step}`);
        first.params.W_dec.fill(123); // exportState returns copies
        const second = await engine.exportState();
        assertParamsEqual(where, 'params (after mutating an exported copy) ', second.params, f.params);
        // reloading the exported state reproduces it
        await engine.load({ config: f.config, params: second.params, adam: second.adam });
        const third = await engine.exportState();
        assertParamsEqual(where, 'params after reload ', third.params, f.params);
      }),
    );
  }
  return options.filter ? cases.filter((c) => options.filter!(c.name)) : cases;
}

export interface ConformanceResult {
  name: string;
  passed: boolean;
  error?: string;
}

/** Run every case (sequentially) and collect results instead of throwing. */
export async function runConformance(factory: () => SaeEngine | Promise<SaeEngine>, options: ConformanceOptions = {}): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of conformanceCases(options)) {
    try {
      await c.run(factory);
      results.push({ name: c.name, passed: true });
    } catch (e) {
      results.push({ name: c.name, passed: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}
