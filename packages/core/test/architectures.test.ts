import { describe, expect, it } from 'vitest';
import {
  ARCHITECTURES,
  architectureFromSaeLens,
  architectureLabel,
  architectureLabels,
  architectures,
  getArchitecture,
  isArchitecture,
  ownK,
  parseArchitectureLabel,
  saeLensCfgKeys,
  UnknownArchitectureError,
} from '../src/architectures/index.js';
import { defaultHyperparameters, resolveConfig } from '../src/config-resolution.js';
import { ConfigError, isMsaeError } from '../src/errors.js';

describe('architecture registry: known answers', () => {
  it('registers relu, topk, batchtopk, msae, matryoshka-batchtopk, jumprelu in that order', () => {
    expect(ARCHITECTURES).toEqual(['relu', 'topk', 'batchtopk', 'msae', 'matryoshka-batchtopk', 'jumprelu']);
    expect(architectures().map((a) => a.name)).toEqual(['relu', 'topk', 'batchtopk', 'msae', 'matryoshka-batchtopk', 'jumprelu']);
    for (const name of ARCHITECTURES) expect(getArchitecture(name).name).toBe(name);
  });

  it('labels', () => {
    expect(architectureLabels()).toEqual(['relu', 'topk', 'batchtopk', 'msae-rw', 'msae-uw', 'matryoshka-batchtopk', 'jumprelu']);
    expect(architectureLabel(resolveConfig({ dIn: 8, architecture: 'msae' }))).toBe('msae-rw');
    expect(architectureLabel(resolveConfig({ dIn: 8, architecture: 'msae', weighting: 'uw' }))).toBe('msae-uw');
    expect(architectureLabel(resolveConfig({ dIn: 8, architecture: 'topk' }))).toBe('topk');
    expect(architectureLabel(resolveConfig({ dIn: 8, architecture: 'batchtopk' }))).toBe('batchtopk');
    expect(architectureLabel(resolveConfig({ dIn: 8, architecture: 'relu' }))).toBe('relu');
    // one-level architectures ignore a weighting option: the config says uw, the label has none
    expect(architectureLabel(resolveConfig({ dIn: 8, architecture: 'topk', weighting: 'rw' }))).toBe('topk');
  });

  it('round trip label -> architecture -> label for every label', () => {
    for (const label of architectureLabels()) {
      const { architecture, weighting } = parseArchitectureLabel(label);
      expect(architectureLabel(resolveConfig({ dIn: 8, architecture, weighting }))).toBe(label);
    }
    expect(parseArchitectureLabel('msae-uw')).toEqual({ architecture: 'msae', weighting: 'uw' });
    expect(parseArchitectureLabel('batchtopk')).toEqual({ architecture: 'batchtopk', weighting: 'uw' });
  });

  it('own k: msae k0, topk/batchtopk k, relu d_sae', () => {
    expect(ownK(resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 4 }))).toBe(4);
    expect(ownK(resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', nesting: [6, 20, 64] }))).toBe(6);
    expect(ownK(resolveConfig({ dIn: 16, dSae: 64, architecture: 'topk', k: 8 }))).toBe(8);
    expect(ownK(resolveConfig({ dIn: 16, dSae: 64, architecture: 'batchtopk', k: 5 }))).toBe(5);
    expect(ownK(resolveConfig({ dIn: 16, dSae: 64, architecture: 'relu' }))).toBe(64);
    // default k 64, capped at d_sae
    expect(ownK(resolveConfig({ dIn: 512, architecture: 'topk' }))).toBe(64);
    expect(ownK(resolveConfig({ dIn: 4, dSae: 32, architecture: 'msae' }))).toBe(32);
  });

  it('defaults of every architecture', () => {
    expect(getArchitecture('msae').defaults).toEqual({ lr: 1e-4, demoLr: 5e-4, batchSize: 4096, k: 64, l1: 0, weighting: 'rw' });
    expect(getArchitecture('topk').defaults).toEqual({ lr: 5e-4, demoLr: 5e-4, batchSize: 4096, k: 64, l1: 0, weighting: 'uw' });
    expect(getArchitecture('batchtopk').defaults).toEqual({ lr: 5e-4, demoLr: 5e-4, batchSize: 4096, k: 64, l1: 0, weighting: 'uw' });
    expect(getArchitecture('relu').defaults).toEqual({ lr: 5e-5, demoLr: 5e-5, batchSize: 4096, k: undefined, l1: 0.003, weighting: 'uw' });
    // resolveConfig and defaultHyperparameters take them from the registry
    for (const a of architectures()) {
      const c = resolveConfig({ dIn: 512, architecture: a.name });
      expect(c.l1).toBe(a.defaults.l1);
      expect(c.weighting).toBe(a.defaults.weighting);
      expect(ownK(c)).toBe(a.defaults.k ?? c.dSae);
      expect(defaultHyperparameters(a.name)).toEqual({ lr: a.defaults.lr, l1: a.defaults.l1, batchSize: a.defaults.batchSize });
    }
  });

  it('activations and options', () => {
    expect(architectures().map((a) => [a.name, a.activation.train, a.activation.eval])).toEqual([
      ['relu', 'relu', 'row-topk'],
      ['topk', 'row-topk', 'row-topk'],
      ['batchtopk', 'batch-topk', 'row-topk'],
      ['msae', 'nested-row-topk', 'row-topk'],
      ['matryoshka-batchtopk', 'batch-topk-prefix', 'row-topk'],
      ['jumprelu', 'jumprelu', 'row-topk'],
    ]);
    expect(architectures().filter((a) => a.options.l1).map((a) => a.name)).toEqual(['relu']);
    expect(architectures().filter((a) => a.options.nesting).map((a) => a.name)).toEqual(['msae']);
    expect(architectures().filter((a) => a.options.k).map((a) => a.name)).toEqual(['topk', 'batchtopk', 'msae', 'matryoshka-batchtopk']);
    expect(architectures().filter((a) => a.options.auxK).map((a) => a.name)).toEqual(['topk', 'batchtopk', 'msae', 'matryoshka-batchtopk']);
    expect(architectures().filter((a) => a.options.groups).map((a) => a.name)).toEqual(['matryoshka-batchtopk']);
    expect(architectures().filter((a) => a.options.threshold).map((a) => a.name)).toEqual(['jumprelu']);
  });

  it('unknown names are typed one-line ConfigErrors', () => {
    let err: unknown;
    try {
      getArchitecture('gated', 'run1/cfg.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownArchitectureError);
    expect(err).toBeInstanceOf(ConfigError);
    expect(isMsaeError(err)).toBe(true);
    const u = err as UnknownArchitectureError;
    expect(u.message).toBe("run1/cfg.json: unknown architecture 'gated' (expected relu, topk, batchtopk, msae, matryoshka-batchtopk, jumprelu)");
    expect(u.architecture).toBe('gated');
    expect(u.known).toEqual(['relu', 'topk', 'batchtopk', 'msae', 'matryoshka-batchtopk', 'jumprelu']);
    expect(u.context).toBe('run1/cfg.json');
    expect(() => parseArchitectureLabel('msae-xw')).toThrow(/unknown architecture label 'msae-xw' \(expected relu, topk, batchtopk, msae-rw, msae-uw, matryoshka-batchtopk, jumprelu\)/);
    expect(() => resolveConfig({ dIn: 8, architecture: 'gated' as never })).toThrow(UnknownArchitectureError);
    expect(isArchitecture('msae')).toBe(true);
    expect(isArchitecture('toString')).toBe(false);
    expect(isArchitecture(3)).toBe(false);
  });
});

describe('architecture registry: SAELens mapping', () => {
  it('writes standard/relu for relu and topk at the own k for the others', () => {
    expect(saeLensCfgKeys(resolveConfig({ dIn: 8, dSae: 32, architecture: 'relu' }))).toEqual({
      architecture: 'standard', activation_fn: 'relu', activation_fn_str: 'relu', activation_fn_kwargs: {},
    });
    for (const [architecture, k] of [['topk', 7], ['batchtopk', 5], ['msae', 4]] as const) {
      expect(saeLensCfgKeys(resolveConfig({ dIn: 8, dSae: 32, architecture, k }))).toEqual({
        architecture: 'topk', activation_fn: 'topk', activation_fn_str: 'topk', activation_fn_kwargs: { k }, k,
      });
    }
  });

  it('reads v6 and pre-v6 cfgs', () => {
    const read = (cfg: Record<string, unknown>) => {
      const r = architectureFromSaeLens(cfg);
      return [r.architecture, r.k];
    };
    expect(read({ architecture: 'standard' })).toEqual(['relu', undefined]);
    expect(read({})).toEqual(['relu', undefined]); // SAELens' defaults: standard, relu
    expect(read({ architecture: 'standard', activation_fn_str: 'relu', activation_fn_kwargs: {} })).toEqual(['relu', undefined]);
    expect(read({ architecture: 'topk', k: 32 })).toEqual(['topk', 32]);
    expect(read({ architecture: 'standard', activation_fn_str: 'topk', activation_fn_kwargs: { k: 16 } })).toEqual(['topk', 16]);
    expect(read({ architecture: 'topk', activation_fn: 'topk', activation_fn_kwargs: { k: 12 } })).toEqual(['topk', 12]);
    expect(read({ architecture: 'batchtopk', k: 24 })).toEqual(['batchtopk', 24]);
    // what msae writes reads back as an architecture with the same inference (TopK at the own k)
    for (const a of architectures()) {
      const c = resolveConfig({ dIn: 8, dSae: 32, architecture: a.name, k: a.options.k ? 4 : undefined });
      const back = architectureFromSaeLens({ ...saeLensCfgKeys(c) });
      expect(back.definition.activation.eval).toBe(a.activation.eval);
      expect(back.k ?? 32).toBe(ownK(c));
    }
  });

  it('refuses SAELens architectures with no msae counterpart', () => {
    expect(() => architectureFromSaeLens({ architecture: 'gated' }, 'sae/cfg.json')).toThrow(
      "sae/cfg.json: unknown SAELens architecture/activation_fn 'gated/relu' (expected standard/relu, topk, standard/topk, batchtopk, matryoshka_batchtopk, jumprelu)",
    );
    expect(architectureFromSaeLens({ architecture: 'jumprelu' }).architecture).toBe('jumprelu');
    expect(() => architectureFromSaeLens({ architecture: 'gated' })).toThrow(UnknownArchitectureError);
  });
});
