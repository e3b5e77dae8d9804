/** Test helper: bundle the browser entry with esbuild and serve it (plus the tfjs .wasm files) on localhost. */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface PageServer {
  url: string;
  bundleBytes: number;
  close(): Promise<void>;
}

/** Bundle test/browser/page-entry.ts for the browser (platform 'browser': a Node built-in import fails the build). */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'page-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // Same core source the Node side of the test uses.
    alias: {
      '@msae/core/conformance': join(here, '..', '..', '..', 'core', 'src', 'conformance', 'index.ts'),
      '@msae/core': join(here, '..', '..', '..', 'core', 'src', 'index.ts'),
    },
  });
  return result.outputFiles[0].text;
}

export async function startPageServer(): Promise<PageServer> {
  const bundle = await bundlePage();
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>msae tfjs test</title></head>' +
    '<body><script type="module" src="/bundle.js"></script></body></html>';
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      } else if (path === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      } else if (/^\/wasm\/[\w.-]+\.wasm$/.test(path)) {
        const body = await readFile(join(wasmDir, path.slice('/wasm/'.length)));
        res.writeHead(200, { 'content-type': 'application/wasm' }).end(body);
      } else if (path === '/favicon.ico') {
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    bundleBytes: bundle.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
