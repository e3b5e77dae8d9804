/** Test helper: bundle the browser entry with esbuild (platform 'browser') and serve it on localhost. */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const core = join(here, '..', '..', '..', 'core', 'src');
const addonEngine = join(here, '..', '..', '..', 'backend-cpu', 'src', 'addon-entry.ts');

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** The bundle: a Node built-in import anywhere in the engine would fail this build. */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'page-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { '@msae/core/conformance': join(core, 'conformance', 'index.ts'), '@msae/core': join(core, 'index.ts'), '@msae/backend-cpu/addon-engine': addonEngine },
  });
  return result.outputFiles[0].text;
}

export async function startPageServer(): Promise<PageServer> {
  const bundle = await bundlePage();
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>msae wasm test</title></head><body><script type="module" src="/bundle.js"></script></body></html>';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/' || path === '/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (path === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
