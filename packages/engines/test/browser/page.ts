/** This package's browser test page and entry points; bundles refuse Node-only imports (test-support's `strict`). */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, CORE_SOURCES, sourceAliases, startPageServer, type BrowserBundle, type PageServer } from '@msae/test-support';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..');

export const PACKAGE_DIR = resolve(here, '..', '..');
export const BROWSER_ENTRY = join(here, '..', '..', 'src', 'browser.ts');
export const NODE_ENTRY = join(here, '..', '..', 'src', 'index.ts');
export const PAGE_ENTRY = join(here, 'page-entry.ts');

/**
 * Bundle `entry` against the sources of @msae/core, @msae/backend-tfjs and @msae/backend-webgpu, or
 * `{ contents, resolveDir }` (an importer's code) against what package.json `exports` resolve to.
 */
export function bundleEngines(entry: string | { contents: string; resolveDir: string }): Promise<BrowserBundle> {
  const alias =
    typeof entry === 'string'
      ? sourceAliases(packages, { ...CORE_SOURCES, '@msae/backend-tfjs': 'backend-tfjs/src/index.ts', '@msae/backend-webgpu': 'backend-webgpu/src/index.ts' })
      : {};
  return bundleForBrowser(entry, { alias, strict: true });
}

export async function startEnginesPage(): Promise<PageServer> {
  // tfjs-backend-wasm is a dependency of backend-tfjs: resolve it from there.
  const requireFromTfjs = createRequire(join(packages, 'backend-tfjs', 'package.json'));
  const wasmDir = join(dirname(requireFromTfjs.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const { code } = await bundleEngines(PAGE_ENTRY);
  return startPageServer({ bundle: code, title: 'msae engines test', routes: [{ prefix: 'wasm', dir: wasmDir }] });
}
