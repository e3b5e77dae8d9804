// Copy the files the playground serves as static assets into public/ (generated, git-ignored):
// the shipped vocabularies of @msae/concepts, the tfjs wasm binaries and onnxruntime-web's wasm files.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pub = join(root, 'public');

function copyDir(from, to, keep) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  let n = 0;
  for (const f of readdirSync(from)) {
    if (!keep(f)) continue;
    copyFileSync(join(from, f), join(to, f));
    n++;
  }
  return n;
}

const concepts = join(dirname(require.resolve('@msae/concepts/package.json')), 'vocab');
const vocab = copyDir(concepts, join(pub, 'vocab'), (f) => /\.f16\.npy$|^clip-vit.*\.json$|^LICENSE|^NOTICE/.test(f));
const tfwasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const wasm = copyDir(tfwasm, join(pub, 'wasm'), (f) => f.endsWith('.wasm'));
const clipRequire = createRequire(require.resolve('@msae/clip/package.json'));
const transformersMain = clipRequire.resolve('@huggingface/transformers');
const ortMain = createRequire(transformersMain).resolve('onnxruntime-web');
const ortDist = ortMain.slice(0, ortMain.lastIndexOf('/dist/') + 5);
const ort = copyDir(ortDist, join(pub, 'ort'), (f) => /^ort-wasm-simd-threaded(\.jsep|\.asyncify)?\.(wasm|mjs)$/.test(f));
// the COOP/COEP service-worker shim for static hosts (registered from the site's <head>, see .vitepress/config.ts)
copyFileSync(require.resolve('coi-serviceworker/coi-serviceworker.min.js'), join(pub, 'coi-serviceworker.js'));
console.log(`assets: coi-serviceworker, ${vocab} vocabulary files, ${wasm} tfjs wasm files, ${ort} onnxruntime-web files -> public/`);
