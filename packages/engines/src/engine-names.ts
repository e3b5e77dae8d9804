import { engineRegistry } from './engine-registry.js';

/** The built-in engine names (plus `auto`) the CLIs accept with --backend; the browser entry registers fewer. */
export const ENGINE_NAMES = [
  'auto',
  'reference',
  'cpu',
  'wasm',
  'tfjs-cpu',
  'tfjs-wasm',
  'tfjs-webgpu',
  'tfjs-node',
  'webgpu',
] as const;

export type EngineName = (typeof ENGINE_NAMES)[number];

/** True for `auto` and every name registered in this process (built-in or registered by the caller). */
export function isEngineName(name: string): boolean {
  return name === 'auto' || engineRegistry.has(name);
}
