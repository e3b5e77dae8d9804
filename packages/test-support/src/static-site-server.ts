/** Test helper: serve a built static site (and extra folders) on 127.0.0.1, like any static host would. */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serve `root` at `/` and each `mounts[prefix]` folder at `/<prefix>/`. */
export async function serveStatic(root: string, mounts: Record<string, string> = {}): Promise<StaticServer> {
  const resolveFile = async (urlPath: string): Promise<string | null> => {
    let base = root;
    let rel = decodeURIComponent(urlPath);
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (rel.startsWith(`/${prefix}/`)) {
        base = dir;
        rel = rel.slice(prefix.length + 1);
      }
    }
    const full = normalize(join(base, rel));
    if (full !== normalize(base) && !full.startsWith(normalize(base) + sep)) return null;
    for (const candidate of [full, `${full}.html`, join(full, 'index.html')]) {
      const s = await stat(candidate).catch(() => null);
      if (s?.isFile()) return candidate;
    }
    return null;
  };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = await resolveFile(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=600' });
    res.end(await readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server: no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
