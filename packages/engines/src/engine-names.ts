/** Every engine name the CLIs accept with --backend. */
export const ENGINE_NAMES = [
  'auto',
  'reference',
  'cpu',
  'tfjs-cpu',
  'tfjs-wasm',
  'tfjs-webgpu',
  'tfjs-node',
] as const;

export type EngineName = (typeof ENGINE_NAMES)[number];

export function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
}
