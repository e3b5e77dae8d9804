/** ProviderRegistry semantics (the code createEngine and createMatmulProvider run), on test providers. */
import { describe, expect, it, vi } from 'vitest';
import { MsaeError } from '@msae/core';
import {
  EngineUnavailableError,
  ProviderRegistry,
  UnknownEngineError,
  currentEnvironment,
  type Availability,
  type Registration,
} from '../src/index.js';

type Product = { made: string };

function provider(name: string, priority: number, availability: Availability | (() => Availability), extra: Partial<Registration<string>> = {}): Registration<string> {
  return {
    name,
    priority,
    environments: ['node', 'browser'],
    description: `test provider ${name}`,
    availability: typeof availability === 'function' ? availability : () => availability,
    load: async () => name,
    ...extra,
  };
}

const make = async (p: string): Promise<Product> => ({ made: p });

describe('ProviderRegistry', () => {
  it('runs these tests in node', () => {
    expect(currentEnvironment()).toBe('node');
  });

  it('lists registrations by priority, highest first, with their availability', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('low', 1, { available: true }));
    r.register(provider('high', 30, { available: false, reason: 'no device' }));
    r.register(provider('mid', 20, { available: true }));
    expect(r.names()).toEqual(['high', 'mid', 'low']);
    const list = await r.list();
    expect(list.map((e) => [e.name, e.priority, e.available, e.reason, e.auto])).toEqual([
      ['high', 30, false, 'no device', false],
      ['mid', 20, true, undefined, true],
      ['low', 1, true, undefined, true],
    ]);
  });

  it('auto picks the available provider of highest priority, with no note when it is the top choice', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('a', 10, { available: true }));
    r.register(provider('b', 20, { available: true }));
    const choice = await r.createAuto(make);
    expect(choice).toEqual({ name: 'b', value: { made: 'b' } });
  });

  it('auto falls back past an unavailable top choice and says why', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('native', 20, { available: false, reason: 'addon not built' }));
    r.register(provider('portable', 10, { available: true }));
    const choice = await r.createAuto(make);
    expect(choice.name).toBe('portable');
    expect(choice.fallbackNote).toBe("engine 'native' unavailable (addon not built); using 'portable'");
  });

  it('skipping an optional provider is not a fallback; choosing it above the top one is fine', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('gpu', 30, { available: false, reason: 'no adapter' }, { optional: true }));
    r.register(provider('native', 20, { available: true }));
    expect(await r.createAuto(make)).toEqual({ name: 'native', value: { made: 'native' } });
    r.register(provider('gpu', 30, { available: true }, { optional: true }));
    expect(await r.createAuto(make)).toEqual({ name: 'gpu', value: { made: 'gpu' } });
  });

  it('auto: false is usable by name but skipped by auto', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('soft-gpu', 30, { available: true, auto: false, reason: 'software adapter' }));
    r.register(provider('cpu', 20, { available: true }));
    expect((await r.createAuto(make)).name).toBe('cpu');
    expect(await r.create('soft-gpu', make)).toEqual({ made: 'soft-gpu' });
    expect((await r.list())[0]).toMatchObject({ name: 'soft-gpu', available: true, auto: false, reason: 'software adapter' });
  });

  it('a throwing availability check is "unavailable" with its message as the reason', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('broken', 30, () => { throw new Error('Cannot find package @x/y\nstack...'); }));
    r.register(provider('ok', 1, { available: true }));
    expect((await r.list())[0]).toMatchObject({ name: 'broken', available: false, reason: 'Cannot find package @x/y' });
    const choice = await r.createAuto(make);
    expect(choice.name).toBe('ok');
    expect(choice.fallbackNote).toBe("engine 'broken' unavailable (Cannot find package @x/y); using 'ok'");
  });

  it('a factory that fails under auto moves auto on to the next provider, and the note names the failure', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('flaky', 20, { available: true }, { load: async () => { throw new Error('init failed'); } }));
    r.register(provider('steady', 10, { available: true }));
    const choice = await r.createAuto(make);
    expect(choice.name).toBe('steady');
    expect(choice.fallbackNote).toBe("engine 'flaky' unavailable (init failed); using 'steady'");
  });

  it('probes availability once and loads only what is used', async () => {
    const r = new ProviderRegistry<string>('engine');
    const probe = vi.fn(() => ({ available: true }));
    const loadUnused = vi.fn(async () => 'unused');
    r.register(provider('used', 20, probe));
    r.register(provider('unused', 10, { available: true }, { load: loadUnused }));
    await r.list();
    await r.createAuto(make);
    await r.create('used', make);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(loadUnused).not.toHaveBeenCalled();
    r.register(provider('used', 20, probe)); // re-registering forgets the cached probe
    await r.list();
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('never probes or loads a provider outside its environments', async () => {
    const r = new ProviderRegistry<string>('engine');
    const probe = vi.fn(() => ({ available: true }));
    const load = vi.fn(async () => 'browser-only');
    r.register(provider('browser-only', 50, probe, { environments: ['browser'], load }));
    r.register(provider('anywhere', 1, { available: true }));
    expect((await r.list())[0]).toMatchObject({ available: false, reason: 'runs only in browser (this is node)' });
    expect((await r.createAuto(make)).name).toBe('anywhere');
    await expect(r.create('browser-only', make)).rejects.toThrow(EngineUnavailableError);
    expect(probe).not.toHaveBeenCalled();
    expect(load).not.toHaveBeenCalled();
  });

  it('an unknown name is an UnknownEngineError listing auto and every registered name', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('b', 1, { available: true }));
    r.register(provider('a', 2, { available: true }));
    const err = await r.create('cuda', make).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownEngineError);
    expect((err as UnknownEngineError).known).toEqual(['auto', 'a', 'b']);
    expect((err as Error).message).toBe("engine 'cuda': unknown name (expected one of: auto, a, b)");
    expect(MsaeError.isInstance(err)).toBe(true);
  });

  it('asking for an unavailable provider by name is an EngineUnavailableError with the reason', async () => {
    const r = new ProviderRegistry<string>('matmul provider');
    r.register(provider('native', 1, { available: false, reason: 'addon not built' }));
    const err = await r.create('native', make).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect((err as Error).message).toBe("matmul provider 'native': unavailable: addon not built");
  });

  it('auto with nothing available lists every reason', async () => {
    const r = new ProviderRegistry<string>('engine');
    r.register(provider('x', 2, { available: false, reason: 'no x' }));
    r.register(provider('y', 1, { available: true, auto: false }));
    await expect(r.createAuto(make)).rejects.toThrow("engine 'auto': unavailable: no engine can run here (x: no x; y: not selectable by auto)");
  });

  it('refuses names that cannot be looked up', () => {
    const r = new ProviderRegistry<string>('engine');
    expect(() => r.register(provider('auto', 1, { available: true }))).toThrow(TypeError);
    expect(() => r.register(provider('', 1, { available: true }))).toThrow(TypeError);
    expect(() => r.register(provider('nan', Number.NaN, { available: true }))).toThrow(TypeError);
  });
});
