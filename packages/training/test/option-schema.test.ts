import { architectures, getArchitecture } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { formatProblem, helpText, optionProblems, optionSchema, optionSpec, parseOptionText, resolveRun, TRAINING_OPTIONS, valueProblem } from '../src/index.js';

describe('the option schema', () => {
  it('derives help defaults from the registry (per-architecture lr and batch size, jumprelu and relu defaults)', () => {
    const lr = helpText(optionSpec('lr')!);
    for (const a of architectures()) expect(lr).toContain(`${a.name} ${a.defaults.lr}`);
    expect(helpText(optionSpec('l0')!)).toBe(`jumprelu: L0 penalty coefficient, l0 * mean active latents per row (default ${getArchitecture('jumprelu').defaults.l0})`);
    expect(helpText(optionSpec('l1')!)).toContain(`(default ${getArchitecture('relu').defaults.l1})`);
    expect(helpText(optionSpec('groups')!)).toContain('(default 1/16,1/16,1/8,1/4,1/2)');
  });

  it('gives each architecture the options its registry entry accepts', () => {
    const keys = (a: string) => optionSchema(a).map((o) => o.key);
    expect(keys('jumprelu')).toEqual(expect.arrayContaining(['l0', 'bandwidth', 'initThreshold']));
    expect(keys('jumprelu')).not.toContain('groups');
    expect(keys('relu')).toContain('l1');
    expect(keys('relu')).not.toContain('k');
    expect(keys('matryoshka-batchtopk')).toEqual(expect.arrayContaining(['groups', 'groupWeights', 'auxK']));
    expect(keys('msae')).toEqual(expect.arrayContaining(['weighting', 'auxk', 'auxWeight', 'deadAfter']));
    // every key is unique, every flag is the kebab-case of its key
    expect(new Set(TRAINING_OPTIONS.map((o) => o.key)).size).toBe(TRAINING_OPTIONS.length);
    for (const o of TRAINING_OPTIONS) expect(o.flag).toBe(`--${o.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  });

  it('finds every problem, and each front end names the option its way', () => {
    const problems = optionProblems({ architecture: 'topk', lr: -1, l0: 0.1, expansion: 2, latents: 9, batchSize: 64, kk: 1 }, { rows: 8 });
    expect(problems.map((p) => formatProblem(p))).toEqual([
      expect.stringMatching(/^kk is not a training option/),
      'lr must be a positive number, got -1',
      'l0 applies to architecture jumprelu only (not topk)',
      'expansion and latents are both given; give one',
      'batchSize is 64, more than the 8 training rows (give at least one batch of rows, or a smaller batch size)',
    ]);
    const flag = (k: string) => optionSpec(k)?.flag ?? k;
    expect(formatProblem(problems[3], flag)).toBe('--expansion and --latents are both given; give one');
    expect(formatProblem(problems[1], (k) => `members[2].${k}`)).toBe('members[2].lr must be a positive number, got -1');
    expect(optionProblems({ architecture: 'msae', k: 8, lr: 1e-3 }, { rows: 8 })).toEqual([]);
  });

  it('parses command-line text by kind (fractions in lists) and checks it with the same words', () => {
    expect(parseOptionText(optionSpec('groups')!, '1/16,1/16,7/8')).toEqual([1 / 16, 1 / 16, 7 / 8]);
    expect(valueProblem(optionSpec('groups')!, parseOptionText(optionSpec('groups')!, '0.5,x'), "'0.5,x'")).toBe("must be a comma-separated list of positive numbers, got '0.5,x'");
    expect(valueProblem(optionSpec('k')!, parseOptionText(optionSpec('k')!, '2.5'))).toBe('must be a positive integer, got 2.5');
    expect(valueProblem(optionSpec('architecture')!, 'mlp')).toBe('must be one of relu, topk, batchtopk, msae, matryoshka-batchtopk, jumprelu, got "mlp"');
  });

  it('resolves a run with the registry defaults (demo: demoLr, 5 epochs, batch 256)', () => {
    const demo = resolveRun({ architecture: 'topk' }, { cols: 16, rows: 1000, demo: true });
    expect([demo.state.lr, demo.state.epochs, demo.state.batchSize, demo.config.k, demo.config.dSae]).toEqual([getArchitecture('topk').defaults.demoLr, 5, 256, 64, 128]);
    const real = resolveRun({ architecture: 'relu', seed: 3 }, { cols: 16, rows: 10_000 });
    expect([real.state.lr, real.state.epochs, real.state.batchSize, real.state.dataSeed, real.config.l1]).toEqual([5e-5, 30, 4096, 3, getArchitecture('relu').defaults.l1]);
  });
});
