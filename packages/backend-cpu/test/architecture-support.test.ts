/** The cpu engine refuses architectures without native kernels (jumprelu) with a typed one-line ConfigError. */
import { ConfigError, UnsupportedArchitectureError, initParams, resolveConfig } from '@msae/core';
import { describe, expect, it } from 'vitest';
import { checkCpuEngineConfig, createCpuEngine } from '../src/index.js';
import { nativeBuildSkipped } from './native-status.js';

const LINE = "engine 'cpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference";

describe('cpu engine architecture support', () => {
  it('checkCpuEngineConfig refuses jumprelu and accepts the architectures with kernels', () => {
    const jumprelu = resolveConfig({ dIn: 8, dSae: 16, architecture: 'jumprelu' });
    expect(() => checkCpuEngineConfig(jumprelu)).toThrow(UnsupportedArchitectureError);
    expect(() => checkCpuEngineConfig(jumprelu)).toThrow(ConfigError);
    expect(() => checkCpuEngineConfig(jumprelu)).toThrow(new RegExp(`^${LINE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    for (const architecture of ['relu', 'topk', 'batchtopk', 'msae', 'matryoshka-batchtopk'] as const) {
      expect(() => checkCpuEngineConfig({ architecture })).not.toThrow();
    }
  });

  it.skipIf(nativeBuildSkipped() !== undefined)('load() refuses a jumprelu config before touching its tensors', async () => {
    const engine = createCpuEngine({ threads: 1 });
    const config = resolveConfig({ dIn: 8, dSae: 16, architecture: 'jumprelu' });
    const err = await engine.load({ config, params: initParams(config, 1) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedArchitectureError);
    expect((err as UnsupportedArchitectureError).message).toBe(LINE);
    await engine.dispose();
  });
});
