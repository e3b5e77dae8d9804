/** Test helper: serve the bundled page entry and the tfjs .wasm files on localhost. */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_ENTRY, bundleForBrowser } from './bundle.js';

const here = dirname(fileURLToPath(import.meta.url));
// tfjs-backend-wasm is a dependency of backend-tfjs: resolve it from there.
const requireFromTfjs = createRequire(join(here, '..', '..', '..', 'backend-tfjs', 'package.json'));

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const { code } = await bundleForBrowser(PAGE_ENTRY);
  const wasmDir = join(dirname(requireFromTfjs.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>msae engines test</title></head>' +
    '<body><script type="module" src="/bundle.js"></script></body></html>';
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path === '/' || path === '/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else if (path === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      else if (/^\/wasm\/[\w.-]+\.wasm$/.test(path)) {
        const body = await readFile(join(wasmDir, path.slice('/wasm/'.length)));
        res.writeHead(200, { 'content-type': 'application/wasm' }).end(body);
      } else res.writeHead(404).end();
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
