// JS shipped per page of the built site, gzip: the module scripts and modulepreloads each HTML page
// names (what a first visit downloads), plus the chunks the playground imports on demand.
//   node scripts/js-per-page.mjs            (MSAE_DOCS_OUT=<dir> for a build elsewhere)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = process.env.MSAE_DOCS_OUT ?? fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const pages = ['index.html', 'guide/quick-start.html', 'api/@msae/core/functions/resolveConfig.html', 'playground/train.html', 'playground/explore.html', 'playground/photos.html', 'playground/search.html'];
const rows = pages.map((page) => {
  const html = readFileSync(join(dist, page), 'utf8');
  const js = [...html.matchAll(/<(?:script type="module" src|link rel="modulepreload" href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
  return { page, files: new Set(js).size, gzip: kb([...new Set(js)].reduce((n, f) => n + gz(f), 0)) };
});
console.table(rows);
const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const biggest = assets.map((f) => ({ file: f, gzip: gz(join('assets', f)) })).sort((a, b) => b.gzip - a.gzip).slice(0, 8);
console.log('largest on-demand chunks (tfjs, transformers.js, vega, the worker):');
console.table(biggest.map((b) => ({ file: b.file, gzip: kb(b.gzip) })));
