import { afterEach, describe, expect, it } from 'vitest';
import { defaultThreadCount } from '../src/thread-count.js';

describe('defaultThreadCount (MSAE_CPU_THREADS, shared by the engine and gemm)', () => {
  const saved = process.env.MSAE_CPU_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.MSAE_CPU_THREADS;
    else process.env.MSAE_CPU_THREADS = saved;
  });
  it('reads a positive integer and ignores anything else', () => {
    process.env.MSAE_CPU_THREADS = '3';
    expect(defaultThreadCount()).toBe(3);
    for (const bad of ['0', '-2', '1.5', 'many', '']) {
      process.env.MSAE_CPU_THREADS = bad;
      expect(defaultThreadCount()).toBe(0);
    }
    delete process.env.MSAE_CPU_THREADS;
    expect(defaultThreadCount()).toBe(0);
  });
});
