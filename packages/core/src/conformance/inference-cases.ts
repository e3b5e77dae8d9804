import { createSaeInference, decodeCodes, encodeCodes, preActivations } from '../inference/index.js';
import { createReferenceEngine } from '../reference-engine.js';
import { assertSamePattern, assertTensorClose } from './assertions.js';
import { conformanceConfigs } from './configs.js';
import { makeFixture } from './fixtures.js';

/** One inference conformance case: core's inference module against the reference engine on one config. */
export interface InferenceConformanceCase {
  /** e.g. "jumprelu nmse l0=0.002 eps=0.2 d16x64 rows32: inference encode/decode" */
  name: string;
  run(): Promise<void>;
}

/**
 * For every conformance config (every architecture, JumpReLU included): core's inference module (createSaeInference,
 * encodeCodes, decodeCodes) gives the reference engine's encode at every k of the fixture (values and pattern) and its
 * decode. JumpReLU fixtures must have codes the threshold removes (0 < pre <= theta), so a gate that ignored the
 * threshold fails.
 */
export function inferenceConformanceCases(options: { rtol?: number } = {}): InferenceConformanceCase[] {
  const rtol = options.rtol ?? 1e-4;
  return conformanceConfigs().map((c, i) => {
    const name = `${c.name}: inference encode/decode`;
    return {
      name,
      async run() {
        const f = await makeFixture(c, i, 1e-2);
        const ref = createReferenceEngine();
        await ref.load({ config: f.config, params: f.params });
        try {
          const model = createSaeInference({ config: f.config, params: f.params });
          const x = { data: f.x, rows: f.rows, cols: f.config.dIn };
          if (f.params.log_threshold) {
            const pre = await preActivations(model, x);
            let gated = 0;
            for (let e = 0; e < pre.length; e++) if (pre[e] > 0 && pre[e] <= Math.exp(f.params.log_threshold[e % f.config.dSae])) gated++;
            if (gated === 0) throw new Error(`${name}: the fixture has no code between 0 and its threshold, so it cannot test the gate`);
          }
          for (const k of f.encodeKs) {
            const got = await encodeCodes(model, x, { k });
            const exp = await ref.encode(f.x, f.rows, k);
            assertTensorClose(name, `encode(k=${k})`, got, exp, rtol);
            assertSamePattern(name, `encode(k=${k})`, got, exp, f.config.dSae);
            assertTensorClose(name, `decode(encode(k=${k}))`, decodeCodes(model, got, f.rows), await ref.decode(exp, f.rows), rtol);
          }
        } finally {
          await ref.dispose();
        }
      },
    };
  });
}
