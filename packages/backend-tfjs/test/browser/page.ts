/** This package's browser test page: page-entry.ts bundled against workspace sources, served with tfjs's .wasm files. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, CORE_SOURCES, sourceAliases, startPageServer, type PageServer } from '@msae/test-support';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The page bundle (platform 'browser': a Node built-in import fails the build). */
export async function bundlePage(): Promise<string> {
  const alias = sourceAliases(join(here, '..', '..', '..'), CORE_SOURCES);
  return (await bundleForBrowser(join(here, 'page-entry.ts'), { alias })).code;
}

export async function startTfjsPage(): Promise<PageServer> {
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return startPageServer({ bundle: await bundlePage(), title: 'msae tfjs test', routes: [{ prefix: 'wasm', dir: wasmDir }] });
}
