import type { Architecture } from '../config.js';
import type { EngineState, SaeEngine } from '../engine.js';
import { cloneAdamState } from '../optimizer.js';
import { cloneParams, paramNamesOf } from '../params.js';
import { createReferenceEngine } from '../reference-engine.js';
import { Rng } from '../rng.js';
import { auxKEnabled } from '../aux-k.js';
import { assertParamsClose, assertParamsEqual, assertSamePattern, assertScalarClose, assertScalarsClose, assertTensorClose } from './assertions.js';
import { conformanceConfigs } from './configs.js';
import { makeFixture, type Fixture } from './fixtures.js';

export interface ConformanceOptions {
  /** Include the AuxK configs (default true); an engine without AuxK passes false (and should refuse such configs). */
  auxK?: boolean;
  /** Normwise relative tolerance (default 1e-4). */
  rtol?: number;
  /** Only configs of these architectures (default all). */
  architectures?: Architecture[];
  /** Keep only cases whose name passes this filter. */
  filter?: (name: string) => boolean;
  /** Learning rate of the training-step cases (default 1e-2: large enough that the change of each parameter is far above float32 rounding). */
  lr?: number;
}

export interface ConformanceCase {
  /** e.g. "msae rw nmse k=4 d16x64 rows32: forward" */
  name: string;
  /** Run the case on a fresh engine from `factory` (disposed afterwards); throws on mismatch. */
  run(factory: () => SaeEngine | Promise<SaeEngine>): Promise<void>;
}

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
    .filter(({ c }) => !options.architectures || options.architectures.includes(c.config.architecture))
    .filter(({ c }) => options.auxK !== false || !auxKEnabled(c.config));
  const cases: ConformanceCase[] = [];
  for (const { c, i } of configs) {
    let fixture: Promise<Fixture> | null = null;
    const getFixture = (): Promise<Fixture> => (fixture ??= makeFixture(c, i, lr));
    const add = (what: string, body: (f: Fixture, where: string, factory: () => SaeEngine | Promise<SaeEngine>) => Promise<void>) => {
      const name = `${c.name}: ${what}`;
      cases.push({ name, run: async (factory) => body(await getFixture(), name, factory) });
    };

    add('forward', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params, adam: f.startAdam }, async (engine, ref) => {
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
        if (exp.auxLoss !== undefined) assertScalarClose(where, 'auxLoss', got.auxLoss, exp.auxLoss, rtol);
      }),
    );

    add('gradients', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params, adam: f.startAdam }, async (engine, ref) => {
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
          for (const n of paramNamesOf(start)) {
            const delta = (t: Float32Array | undefined) => Float32Array.from(t ?? [], (v, i) => v - start[n]![i]);
            assertTensorClose(where, `change of ${n}`, delta(got.params[n]), delta(exp.params[n]), rtol);
          }
          assertParamsClose(where, 'adam.m ', got.adam.m, exp.adam.m, rtol);
          assertParamsClose(where, 'adam.v ', got.adam.v, exp.adam.v, rtol);
          if (got.adam.step !== exp.adam.step) throw new Error(`${where}: adam.step is ${got.adam.step}, expected ${exp.adam.step}`);
          assertSamplesSinceFired(where, got.adam.samplesSinceFired, exp.adam.samplesSinceFired);
        }),
      );
    stepCase('trainStep from zero Adam state', (f) => ({ config: f.config, params: f.params, adam: f.startAdam }), 1, lr);
    stepCase('two trainSteps from a resumed Adam state (step 5)', (f) => ({ config: f.config, params: f.params, adam: f.adamResumed }), 2, lr);
    stepCase('trainStep at lr 0 (renormalization only)', (f) => ({ config: f.config, params: f.params, adam: f.adamResumed }), 1, 0);

    add('encode at several k', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params, adam: f.startAdam }, async (engine, ref) => {
        for (const k of f.encodeKs) {
          const got = await engine.encode(f.x, f.rows, k);
          const exp = await ref.encode(f.x, f.rows, k);
          assertTensorClose(where, `encode(k=${k})`, got, exp, rtol);
          assertSamePattern(where, `encode(k=${k})`, got, exp, f.config.dSae);
        }
      }),
    );

    add('decode', async (f, where, factory) =>
      withEngines(factory, { config: f.config, params: f.params, adam: f.startAdam }, async (engine, ref) => {
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
        assertSamplesSinceFired(where, first.adam.samplesSinceFired, f.adamResumed.samplesSinceFired);
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

/** AuxK dead-latent counts must match the reference exactly (both absent when AuxK is off). */
function assertSamplesSinceFired(where: string, got: Float32Array | undefined, exp: Float32Array | undefined): void {
  if (exp === undefined) return;
  if (!(got instanceof Float32Array) || got.length !== exp.length) throw new Error(`${where}: adam.samplesSinceFired should be a Float32Array of ${exp.length} values`);
  for (let j = 0; j < exp.length; j++) {
    if (got[j] !== exp[j]) throw new Error(`${where}: adam.samplesSinceFired[${j}] is ${got[j]}, expected ${exp[j]}`);
  }
}
