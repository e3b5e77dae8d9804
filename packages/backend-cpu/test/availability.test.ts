// Without the native addon the package must still import, and report why the engine is unavailable.
import { describe, expect, it } from 'vitest';

process.env.MSAE_CPU_DISABLE = '1';
const { cpuEngineAvailability, createCpuEngine } = await import('../src/index.js');

describe('availability without the native addon', () => {
  it('reports the reason and refuses to create the engine with a one-line error', () => {
    const a = cpuEngineAvailability();
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/MSAE_CPU_DISABLE/);
    expect(() => createCpuEngine()).toThrow(/native engine unavailable: disabled by MSAE_CPU_DISABLE=1/);
  });
});
