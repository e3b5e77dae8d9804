import { describe, expect, it } from 'vitest';
import { Rng, createRng } from '../src/rng.js';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });
  it('uniform() has mean 1/2 and variance 1/12, in [0, 1)', () => {
    const r = new Rng(1);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
  });
  it('normal() has mean 0, variance 1 and the right tail mass', () => {
    const r = new Rng(2);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 1.96) tail++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(s2 / n).toBeCloseTo(1, 1);
    expect(tail / n).toBeCloseTo(0.05, 2);
  });
  it('int(n) is uniform over [0, n)', () => {
    const r = new Rng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.int(0)).toThrow(/integer/);
  });
  it('permutation / shuffle give permutations, each position roughly uniform', () => {
    const r = new Rng(4);
    const p = r.permutation(50);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const firstCounts = new Array(4).fill(0);
    for (let i = 0; i < 8000; i++) firstCounts[r.shuffle([0, 1, 2, 3])[0]]++;
    for (const c of firstCounts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
  it('getState/setState resumes the exact stream', () => {
    const r = new Rng(5);
    r.normal();
    const st = JSON.parse(JSON.stringify(r.getState()));
    const next = [r.normal(), r.uniform(), r.int(100)];
    const q = new Rng(999);
    q.setState(st);
    expect([q.normal(), q.uniform(), q.int(100)]).toEqual(next);
  });
  it('large seeds are accepted and distinct', () => {
    expect(new Rng(2 ** 40).nextUint32()).not.toBe(new Rng(2 ** 40 + 1).nextUint32());
  });
});
