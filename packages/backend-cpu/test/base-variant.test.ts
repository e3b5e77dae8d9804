// The portable (non-AVX2) build of the addon must give the same numbers: run the msae and topk conformance
// cases on it. The variant is chosen when the addon is first loaded, so set it before importing the engine.
import { conformanceCases } from '@msae/core';
import { describe, it } from 'vitest';
import { nativeBuildSkipped } from './native-status.js';

process.env.MSAE_CPU_VARIANT = 'base';
const { createCpuEngine } = await import('../src/index.js');

describe.skipIf(nativeBuildSkipped() !== undefined)('cpu engine conformance, portable build', () => {
  const cases = conformanceCases({ architectures: ['msae', 'topk'], filter: (n) => /forward|gradients|zero Adam/.test(n) });
  for (const c of cases)
    it(c.name, async () => {
      const engine = createCpuEngine({ threads: 1 });
      if (engine.variant !== 'base') throw new Error(`expected the base variant, got ${engine.variant}`);
      await c.run(() => engine);
    });
});
