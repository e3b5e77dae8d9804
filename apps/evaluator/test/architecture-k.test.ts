import { architectures, resolveConfig } from '@msae/core';
import { reportKs } from '@msae/trainer';
import { describe, expect, it } from 'vitest';
import { evidenceK } from '../src/commands/evidence-k.js';

// "The architecture's k" is decided once, by the registry: the trainer reports at it, the namer gathers evidence at it.
describe("the trainer's report k is the namer's evidence k", () => {
  for (const a of architectures()) {
    it(a.name, () => {
      for (const k of a.options.k ? [1, 8, 64, undefined] : [undefined]) {
        const config = resolveConfig({ dIn: 16, dSae: 64, architecture: a.name, k });
        const reported = reportKs(config);
        expect(reported[reported.length - 1]).toBe(64); // and every positive code
        expect(evidenceK(config) ?? config.dSae).toBe(reported[0]);
      }
    });
  }

  it('known answers: msae k0, topk/batchtopk k, relu every code', () => {
    const at = (architecture: 'msae' | 'topk' | 'batchtopk' | 'relu', k?: number) => {
      const config = resolveConfig({ dIn: 16, dSae: 64, architecture, k });
      return [reportKs(config), evidenceK(config)];
    };
    expect(at('msae', 4)).toEqual([[4, 64], 4]);
    expect(at('topk', 8)).toEqual([[8, 64], 8]);
    expect(at('batchtopk', 5)).toEqual([[5, 64], 5]);
    expect(at('relu')).toEqual([[64], undefined]);
    expect(at('topk', 64)).toEqual([[64], undefined]);
  });

  it('--k overrides the evidence k; k >= d_sae means every positive code', () => {
    const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 4 });
    expect(evidenceK(config, 16)).toBe(16);
    expect(evidenceK(config, 64)).toBeUndefined();
    expect(evidenceK(resolveConfig({ dIn: 16, dSae: 64, architecture: 'relu' }), 8)).toBe(8);
  });
});
