import type { MatmulABt } from '@msae/core';
import { ProviderRegistry, type ProviderDetails, type ProviderInfo, type Registration } from './provider-registry.js';

/** A matmul provider registration: a lazily loaded C = A B^T function with its availability and priority. */
export type MatmulRegistration = Registration<MatmulABt>;

/** The process-wide registry of A B^T providers (the entries register the built-in ones). */
export const matmulRegistry = new ProviderRegistry<MatmulABt>('matmul provider');

export function registerMatmulProvider(registration: MatmulRegistration): void {
  matmulRegistry.register(registration);
}

/** Every registered provider with its availability here, highest priority first. */
export function listMatmulProviders(): Promise<ProviderInfo[]> {
  return matmulRegistry.list();
}

/** What matmul provider `name` runs on here (`cpu`: kernel variant, CPU, threads). */
export function matmulProviderDetails(name: string): Promise<ProviderDetails> {
  return matmulRegistry.details(name);
}

export interface MatmulProviderOptions {
  /** Called once with a note when `auto` falls back from the top choice (the native cpu gemm in Node). */
  onFallback?: (message: string) => void;
}

/**
 * C = A B^T for the heavy products (naming, metrics, analysis), by provider name or `auto`: in Node the
 * native multi-threaded `gemmABt` of @msae/backend-cpu when it loads (probed once), else core's plain-JS
 * `blockedMatmulABt` (with a note); in browsers the plain-JS one.
 */
export async function createMatmulProvider(name: string = 'auto', options: MatmulProviderOptions = {}): Promise<MatmulABt> {
  const use = async (matmul: MatmulABt) => matmul;
  if (name !== 'auto') return matmulRegistry.create(name, use);
  const choice = await matmulRegistry.createAuto(use);
  if (choice.fallbackNote !== undefined) options.onFallback?.(choice.fallbackNote);
  return choice.value;
}
