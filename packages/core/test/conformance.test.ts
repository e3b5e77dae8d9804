import { describe, expect, it } from 'vitest';
import { conformanceCases, conformanceConfigs, runConformance } from '../src/conformance/index.js';
import type { SaeEngine } from '../src/engine.js';
import { createReferenceEngine } from '../src/reference-engine.js';
import { Rng } from '../src/rng.js';

// How an engine package uses the suite: one vitest test per case, against its own factory.
describe('conformance: reference engine vs a second reference instance', () => {
  for (const c of conformanceCases()) {
    it(c.name, () => c.run(() => createReferenceEngine()));
  }
});

/** An engine that is wrong in one small way, to show the suite catches it. */
function broken(kind: 'gradient' | 'selection' | 'step' | 'encode'): () => SaeEngine {
  return () => {
    const ref = createReferenceEngine();
    return {
      ...ref,
      name: `broken-${kind}`,
      load: (s) => ref.load(s),
      forward: async (x, rows) => {
        const out = await ref.forward(x, rows);
        if (kind === 'selection') out.recons[0] = out.recons[1] ?? out.recons[0].map((v) => v * 1.01);
        return out;
      },
      gradients: async (x, rows) => {
        const out = await ref.gradients(x, rows);
        if (kind === 'gradient') out.grads.b_enc[3] *= 1.01;
        return out;
      },
      trainStep: (x, rows, lr) => ref.trainStep(x, rows, kind === 'step' ? lr * 1.01 : lr),
      encode: async (x, rows, k) => ref.encode(x, rows, kind === 'encode' && k !== undefined ? k + 1 : k),
      decode: (z, rows) => ref.decode(z, rows),
      exportState: () => ref.exportState(),
      dispose: () => ref.dispose(),
    };
  };
}

describe('the conformance suite detects broken engines', () => {
  const only = (part: string) => conformanceCases({ architectures: ['msae'], filter: (n) => n.includes(part) })[0];
  it('a 1% error in one gradient entry', async () => {
    await expect(only('gradients').run(broken('gradient'))).rejects.toThrow(/grad b_enc differs from the reference/);
  });
  it('a wrong nesting level reconstruction', async () => {
    await expect(only('forward').run(broken('selection'))).rejects.toThrow(/recons\[0\] \(k=4\) differs/);
  });
  it('a 1% wrong learning rate', async () => {
    await expect(only('trainStep from zero').run(broken('step'))).rejects.toThrow(/(params|change of) \w+ differs/);
  });
  it('an off-by-one encode k', async () => {
    await expect(only('encode').run(broken('encode'))).rejects.toThrow(/encode\(k=1\)/);
  });
  it('runConformance reports per-case results', async () => {
    const results = await runConformance(broken('gradient'), { architectures: ['topk'], auxK: false });
    expect(results.length).toBe(conformanceConfigs().filter((c) => c.config.architecture === 'topk' && !c.config.auxK).length * 8);
    expect(results.filter((r) => !r.passed).map((r) => r.name.split(': ')[1])).toEqual(['gradients', 'gradients']);
  });
  it('tolerates float32-level noise: inputs perturbed by 1e-5 relative still pass every case', async () => {
    const rng = new Rng(5);
    const jitter = (a: Float32Array) => a.map((v) => v * (1 + 1e-5 * rng.normal()));
    const noisy = (): SaeEngine => {
      const ref = createReferenceEngine();
      return {
        name: 'noisy',
        load: (s) => ref.load(s),
        forward: (x, rows) => ref.forward(jitter(x), rows),
        gradients: (x, rows) => ref.gradients(jitter(x), rows),
        trainStep: (x, rows, lr) => ref.trainStep(jitter(x), rows, lr),
        encode: (x, rows, k) => ref.encode(jitter(x), rows, k),
        decode: (z, rows) => ref.decode(z, rows),
        exportState: () => ref.exportState(),
        dispose: () => ref.dispose(),
      };
    };
    const failed = (await runConformance(noisy)).filter((r) => !r.passed);
    expect(failed).toEqual([]);
  });
});
