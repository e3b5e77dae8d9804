/** Test helper: bundle the browser entry with esbuild; serve it, the fixture model and onnxruntime-web's files on localhost. */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/clip (override when this file is bundled elsewhere, e.g. by scripts/embed-throughput.ts). */
const defaultClipRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Bundle page-entry.ts for the browser (platform 'browser': a node: import fails the build). */
export async function bundlePage(clipRoot = defaultClipRoot): Promise<string> {
  const result = await build({
    entryPoints: [join(clipRoot, 'test', 'models', 'browser', 'page-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { '@msae/core': join(clipRoot, '..', 'core', 'src', 'index.ts') },
  });
  return result.outputFiles[0].text;
}

/** onnxruntime-web's dist folder, as resolved from the transformers.js that the package uses. */
export function ortWebDist(clipRoot = defaultClipRoot): string {
  const requireHere = createRequire(import.meta.url);
  const transformersMain = requireHere.resolve('@huggingface/transformers', { paths: [clipRoot] });
  const ortMain = createRequire(transformersMain).resolve('onnxruntime-web');
  return join(ortMain.slice(0, ortMain.lastIndexOf(`${sep}dist${sep}`)), 'dist');
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
};

/** Serve `/` (page), `/bundle.js`, `/models/<name>/...` from `modelsRoot`, `/ort/...` from onnxruntime-web/dist. */
export async function startPageServer(modelsRoot: string, clipRoot = defaultClipRoot): Promise<PageServer> {
  const bundle = await bundlePage(clipRoot);
  const ortDir = ortWebDist(clipRoot);
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>msae clip test</title></head>' +
    '<body><script type="module" src="/bundle.js"></script></body></html>';
  const fileUnder = (root: string, rel: string): string | null => {
    const full = normalize(join(root, decodeURIComponent(rel)));
    return full.startsWith(normalize(root) + sep) ? full : null;
  };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
        return;
      }
      if (path === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
        return;
      }
      let file: string | null = null;
      if (path.startsWith('/models/')) file = fileUnder(modelsRoot, path.slice('/models/'.length));
      else if (path.startsWith('/ort/')) file = fileUnder(ortDir, path.slice('/ort/'.length));
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      const body = await readFile(file);
      const ext = file.slice(file.lastIndexOf('.'));
      res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' }).end(body);
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
