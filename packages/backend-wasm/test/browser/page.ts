/** This package's browser test page: page-entry.ts bundled against workspace sources. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, CORE_SOURCES, sourceAliases, startPageServer, type PageServer } from '@msae/test-support';

const here = dirname(fileURLToPath(import.meta.url));

export async function startWasmPage(): Promise<PageServer> {
  const alias = sourceAliases(join(here, '..', '..', '..'), {
    ...CORE_SOURCES,
    '@msae/backend-cpu/addon-engine': 'backend-cpu/src/addon-entry.ts',
  });
  const { code } = await bundleForBrowser(join(here, 'page-entry.ts'), { alias });
  // cross-origin isolated, with the threaded build's files served at /wasm/ (as a site serves them)
  return startPageServer({ bundle: code, title: 'msae wasm test', crossOriginIsolated: true, routes: [{ prefix: 'wasm', dir: join(here, '..', '..', 'src', 'generated') }] });
}
