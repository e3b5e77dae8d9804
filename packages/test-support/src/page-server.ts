/** A localhost server for a browser test: the page, its bundle, and static folders (e.g. .wasm files, model files). */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
};

/** Files under `dir` served at `/<prefix>/...` (paths that leave `dir` are refused). */
export interface StaticRoute {
  prefix: string;
  dir: string;
}

export interface PageServerOptions {
  /** The bundled page script, served at /bundle.js. */
  bundle: string;
  title?: string;
  routes?: StaticRoute[];
  /** Send COOP: same-origin and COEP: require-corp with every response (SharedArrayBuffer, wasm threads). */
  crossOriginIsolated?: boolean;
}

export interface PageServer {
  url: string;
  bundleBytes: number;
  close(): Promise<void>;
}

/** The test page: loads /bundle.js as a module. */
export function pageHtml(title = 'msae test'): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><script type="module" src="/bundle.js"></script></body></html>`;
}

/** The file under `root` for the URL tail `rel`, or null when it would leave `root`. */
function fileUnder(root: string, rel: string): string | null {
  const full = normalize(join(root, decodeURIComponent(rel)));
  return full.startsWith(normalize(root) + sep) ? full : null;
}

/** Serve `/` (the page), `/bundle.js` and each static route on 127.0.0.1 at a free port. */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const html = pageHtml(options.title);
  const server: Server = createServer(async (req, res) => {
    if (options.crossOriginIsolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path === '/' || path === '/index.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      if (path === '/bundle.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(options.bundle);
      const route = (options.routes ?? []).find((r) => path.startsWith(`/${r.prefix}/`));
      const file = route ? fileUnder(route.dir, path.slice(route.prefix.length + 2)) : null;
      if (!file) return void res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    bundleBytes: options.bundle.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
