/**
 * Node-only helpers, reached through dynamic imports with computed specifiers so that bundlers
 * (esbuild, vite, webpack) leave them alone and the browser build never touches a Node built-in.
 */

/** True when running under Node.js (not in a browser or a web worker). */
export function isNodeRuntime(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

/** Import a module whose name must stay invisible to bundlers (Node built-ins, optional peers). */
export async function importHidden<T>(specifier: string): Promise<T> {
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
}

/**
 * Directory (with trailing slash) holding @tensorflow/tfjs-backend-wasm's .wasm files, resolved
 * from this package's location in Node. Returns undefined outside Node.
 */
export async function nodeWasmDir(): Promise<string | undefined> {
  if (!isNodeRuntime()) return undefined;
  const { createRequire } = await importHidden<{ createRequire(from: string): { resolve(id: string): string } }>(
    'node:module',
  );
  const { dirname, sep } = await importHidden<{ dirname(p: string): string; sep: string }>('node:path');
  const { fileURLToPath } = await importHidden<{ fileURLToPath(u: string): string }>('node:url');
  const here = moduleLocation();
  const require = createRequire(here.startsWith('file:') ? fileURLToPath(here) : here);
  // The package has no "exports" map, so package.json resolves directly; the .wasm files sit in dist/.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + sep + 'dist' + sep;
}

/** This module's URL (ESM) or file name (CJS build); tsup's shims fill import.meta.url in CJS. */
function moduleLocation(): string {
  return import.meta.url;
}
