import type { SaeConfig, SaeEngine } from '@msae/core';
import { engineRegistry, type EngineFactory, type EngineOptions } from './engine-registry.js';
import type { Registration } from './provider-registry.js';
import { EngineNameMismatchError } from './registry-errors.js';

export interface CreateEngineOptions extends EngineOptions {
  /** Called once with a note when `auto` falls back from the top choice (e.g. the native cpu engine). */
  onFallback?: (message: string) => void;
  /**
   * The config the engine will load: `auto` skips engines that do not support its architecture (jumprelu on
   * cpu or webgpu), a named engine that does not throws its UnsupportedArchitectureError (a ConfigError).
   */
  config?: SaeConfig;
}

/**
 * Create an engine by registered name, or `auto`: the available engine of highest priority here.
 * Unknown names throw UnknownEngineError (listing the known ones); engines that cannot run here throw
 * EngineUnavailableError with the reason. The engine's `name` is always its registered name.
 */
export async function createEngine(name: string = 'auto', options: CreateEngineOptions = {}): Promise<SaeEngine> {
  const { onFallback, config, ...engineOptions } = options;
  const make = (factory: EngineFactory, registration: Registration<EngineFactory, SaeConfig>) => makeEngine(factory, registration.name, engineOptions);
  if (name !== 'auto') return engineRegistry.create(name, make, config);
  const choice = await engineRegistry.createAuto(make, config);
  if (choice.fallbackNote !== undefined) onFallback?.(choice.fallbackNote);
  return choice.value;
}

/** The name `auto` resolves to here, without creating it (the first available engine `auto` may pick). */
export async function resolveAutoEngine(): Promise<string | undefined> {
  return (await engineRegistry.list()).find((e) => e.auto)?.name;
}

async function makeEngine(factory: EngineFactory, name: string, options: EngineOptions): Promise<SaeEngine> {
  const engine = await factory(options);
  if (engine.name !== name) {
    await engine.dispose();
    throw new EngineNameMismatchError(name, engine.name);
  }
  return engine;
}
