import { describe, expect, it } from 'vitest';
import { benchConfig, benchConfigs, BENCH_CONFIG_NAMES } from '../src/configs.js';
import { floorSeconds, stepFlops } from '../src/flop-count.js';
import type { BenchResult } from '../src/measure.js';
import { formatTable, summarize, type ConfigReport } from '../src/report.js';

function result(name: string, secondsPerStep: number, floorSecondsPerStep: number): ConfigReport {
  const phases = { encode: 0, topk: 0, decode: 0, backward: 0, optimizer: 0 };
  const r: BenchResult = {
    name,
    architecture: name === 'A' ? 'msae-rw' : 'topk',
    k: name === 'B' ? 64 : 4096,
    dIn: 512,
    dSae: 4096,
    batch: 4096,
    engine: 'cpu',
    threads: 2,
    steps: 5,
    samplesPerSecond: 4096 / secondsPerStep,
    secondsPerStep,
    peakRssBytes: 2 ** 30,
    phases,
    encodeK: 64,
    encodeSamplesPerSecond: 1,
    encodeSecondsPerBatch: 1,
    finalLoss: 0.5,
    activeCodesPerRow: 100,
    gflopPerStep: 1,
    gflopPerSecond: 1,
    gemmGflopPerSecond: 70,
    floorSecondsPerStep,
  };
  return r;
}

describe('bench FLOP accounting', () => {
  it('counts the encoder GEMM and four sparse products', () => {
    // 2 B dIn dSae = 2*4096*512*4096 = 17,179,869,184; sparse 8 B nnz dIn = 8*4096*64*512 = 1,073,741,824
    const f = stepFlops(4096, 512, 4096, 64);
    expect(f.encoder).toBe(17_179_869_184);
    expect(f.sparse).toBe(1_073_741_824);
    expect(f.total).toBe(18_253_611_008);
    expect(floorSeconds(f, 18_253_611_008)).toBeCloseTo(1, 12);
    // a dense largest level (every code kept) quadruples the encoder's arithmetic: sparse = 4 x encoder
    const dense = stepFlops(8, 3, 5, 5);
    expect(dense.sparse).toBe(4 * dense.encoder);
  });

  it('summarizes A/B, the floors and A/D', () => {
    const s = summarize([result('A', 1.5, 0.75), result('B', 0.4, 0.25), result('D', 1.25, 0.7)]);
    expect(s.msaeOverTopkStepTime).toBeCloseTo(3.75, 12);
    expect(s.msaeFloorOverTopkStepTime).toBeCloseTo(1.875, 12);
    expect(s.msaeOverTopkFloorRatio).toBeCloseTo(3, 12);
    expect(s.msaeOverLargestLevelStepTime).toBeCloseTo(1.2, 12);
    expect(s.baselineMsaeOverTopkStepTime).toBeUndefined();
    expect(summarize([result('B', 0.4, 0.25)])).toEqual({});
    const table = formatTable([result('A', 1.5, 0.75), result('B', 0.4, 0.25), result('D', 1.25, 0.7)]);
    expect(table).toContain('MSAE/TopK step time (A/B, ours) = 3.75');
    expect(table).toContain("A's floor / B's step = 1.88; A's floor / B's floor = 3.00");
    expect(table).toContain('MSAE / its largest level alone (A/D, ours) = 1.20');
    expect(table).toContain('topk k=64 512->4096 b4096');
  });

  it('prints the CPU, the kernel variant, each config dense GEMM rate next to its floor, and step/floor', () => {
    const a = { ...result('A', 1.3, 0.65), kernel: 'avx512', kernelsSupported: ['avx512', 'avx2', 'base'], cpuModel: 'Test CPU', stepOverFloor: 2 };
    const table = formatTable([a]);
    expect(table).toContain('cpu: Test CPU; kernel variant that ran: avx512 (this CPU supports: avx512, avx2, base)');
    expect(table).toContain('config A: dense GEMM 70.0 GFLOP/s (avx512), floor 0.650 s/step, step 1.300 s, step/floor = 2.00');
  });

  it('defines A-D; D is A alone at its largest level', () => {
    expect(benchConfigs().map((c) => c.name)).toEqual([...BENCH_CONFIG_NAMES]);
    const a = benchConfig('a').config,
      d = benchConfig('D').config;
    expect(d.architecture).toBe('topk');
    expect(d.nesting).toEqual([a.nesting[a.nesting.length - 1]]);
    expect([d.dIn, d.dSae]).toEqual([a.dIn, a.dSae]);
    expect(() => benchConfig('E')).toThrow("unknown config 'E' (expected A, B, C, D)");
  });
});
