/** Where code runs: Node.js, or a browser (a page or a web worker). */
export type Environment = 'node' | 'browser';

/** The current environment: `node` when `process.versions.node` is set and there is no `window`. */
export function currentEnvironment(): Environment {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  const inNode = typeof proc?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
  return inNode ? 'node' : 'browser';
}
