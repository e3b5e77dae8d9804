/** Priorities of the built-in engines: `auto` picks the available one with the highest. */
export const PRIORITY = {
  webgpu: 300,
  cpu: 200,
  // the native kernels on WebAssembly: above every tfjs engine, below native cpu and webgpu
  wasm: 160,
  'tfjs-webgpu': 150,
  'tfjs-node': 120,
  'tfjs-wasm': 100,
  'tfjs-cpu': 50,
  reference: 10,
} as const;
