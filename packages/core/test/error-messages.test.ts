// The mistakes a stranger makes first get messages that name them (issue 23), as typed MsaeErrors.
import { describe, expect, it } from 'vitest';
import { ConfigError, createReferenceEngine, EngineInputError, initParams, isMsaeError, resolveConfig } from '../src/index.js';

async function loaded() {
  const config = resolveConfig({ dIn: 16, dSae: 64, architecture: 'msae', k: 4 });
  const engine = createReferenceEngine();
  await engine.load({ config, params: initParams(config, 1) });
  return engine;
}

describe('engine input messages', () => {
  it('a Float64Array says a Float32Array is expected and what it got', async () => {
    const engine = await loaded();
    const err = await engine.forward(new Float64Array(4 * 16) as unknown as Float32Array, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineInputError);
    expect(isMsaeError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'reference engine: x must be a Float32Array of 4x16=64 values, got a Float64Array (convert with Float32Array.from(x))',
    );
  });

  it('8 columns for a 16-wide SAE names d_in', async () => {
    const engine = await loaded();
    await expect(engine.encode(new Float32Array(4 * 8), 4)).rejects.toThrow(
      "reference engine: x must be a Float32Array of 4x16=64 values, got 32: 8 values per row, but the SAE's d_in is 16",
    );
  });

  it('codes of the wrong width name d_sae; a row count that does not divide names the rows', async () => {
    const engine = await loaded();
    await expect(engine.decode(new Float32Array(2 * 32), 2)).rejects.toThrow("got 64: 32 values per row, but the SAE's d_sae is 64");
    await expect(engine.forward(new Float32Array(3 * 16), 5)).rejects.toThrow('got 48: 3 rows of d_in = 16, but rows = 5');
  });
});

describe('config messages', () => {
  it('resolveConfig without an architecture says it is missing and lists the choices', () => {
    const call = () => resolveConfig({ dIn: 512 } as Parameters<typeof resolveConfig>[0]);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/^config: architecture missing: give one of relu, topk, batchtopk, msae/);
  });
});
