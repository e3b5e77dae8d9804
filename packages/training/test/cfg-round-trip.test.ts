// Every option of the schema that lands in cfg.json (TRAINING_OPTIONS cfgKey) round-trips: the checkpoint writer writes
// the value under that key and the reader gives the same config back.
import { decodeCheckpoint, encodeCheckpoint, initParams } from '@msae/core';
import { CONFIG_CFG_KEYS } from '@msae/core/internal';
import { describe, expect, it } from 'vitest';
import { configOf, TRAINING_OPTIONS, type TrainingOptions } from '../src/index.js';

const D_IN = 16;
/** A non-default value of each option, on an architecture that takes it; `written`: the value cfg.json must hold. */
const CASES: Record<string, { options: TrainingOptions; written: unknown }> = {
  architecture: { options: { architecture: 'topk' }, written: 'topk' },
  weighting: { options: { architecture: 'msae', weighting: 'uw', k: 4 }, written: 'uw' },
  k: { options: { architecture: 'topk', k: 7 }, written: 7 },
  expansion: { options: { architecture: 'topk', expansion: 3 }, written: 48 },
  latents: { options: { architecture: 'topk', latents: 40 }, written: 40 },
  l1: { options: { architecture: 'relu', l1: 0.02 }, written: 0.02 },
  loss: { options: { architecture: 'topk', loss: 'mse' }, written: 'mse' },
  auxK: { options: { architecture: 'topk', auxK: 5 }, written: 5 },
  auxWeight: { options: { architecture: 'batchtopk', auxWeight: 0.25 }, written: 0.25 },
  deadAfter: { options: { architecture: 'topk', deadAfter: 999 }, written: 999 },
  groups: { options: { architecture: 'matryoshka-batchtopk', latents: 64, groups: [16, 16, 32], k: 8 }, written: [16, 32, 64] },
  groupWeights: { options: { architecture: 'matryoshka-batchtopk', latents: 64, groups: [16, 16, 32], groupWeights: [1, 2, 3], k: 8 }, written: [1, 2, 3] },
  l0: { options: { architecture: 'jumprelu', l0: 0.007 }, written: 0.007 },
  bandwidth: { options: { architecture: 'jumprelu', bandwidth: 0.03 }, written: 0.03 },
  initThreshold: { options: { architecture: 'jumprelu', initThreshold: 0.4 }, written: 0.4 },
};

describe('cfg.json keys come from the schema', () => {
  const withCfgKey = TRAINING_OPTIONS.filter((s) => s.cfgKey !== undefined);

  it('every option with a cfg key has a case here (a new option must be added)', () => {
    expect(withCfgKey.map((s) => s.key).sort()).toEqual(Object.keys(CASES).sort());
  });

  it("each option's cfg key is a config field's key in core's CONFIG_CFG_KEYS", () => {
    for (const spec of withCfgKey) expect(CONFIG_CFG_KEYS.map((r) => r.cfgKey), spec.key).toContain(spec.cfgKey);
  });

  for (const spec of withCfgKey) {
    it(`${spec.key} -> ${spec.cfgKey}: written, and read back to the same config`, () => {
      const { options, written } = CASES[spec.key];
      const config = configOf(options, D_IN, 1000);
      const normalization = { mean: new Float32Array(D_IN), scale: 1 };
      const { cfgJson, weights } = encodeCheckpoint({ config, params: initParams(config, 1), normalization, training: {} });
      const cfg = JSON.parse(cfgJson) as Record<string, unknown>;
      expect(cfg[spec.cfgKey!]).toEqual(written);
      expect(decodeCheckpoint(cfgJson, weights).config).toEqual(config);
    });
  }
});
