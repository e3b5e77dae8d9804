// Copy the files the playground serves as static assets into public/ (generated, git-ignored):
// the shipped vocabularies of @msae/concepts, the tfjs wasm binaries, onnxruntime-web's wasm files and msae's threaded wasm build.
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
// The site serves one vocabulary (lib/latent-naming.ts SITE_VOCABULARIES), the 1,592 Detic concepts, to stay light.
const vocab = copyDir(concepts, join(pub, 'vocab'), (f) => /^clip-vit-b32-detic-1592\.(f16\.npy|json)$|^LICENSE|^NOTICE/.test(f));
const tfwasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const wasm = copyDir(tfwasm, join(pub, 'wasm'), (f) => f.endsWith('.wasm'));
const clipRequire = createRequire(require.resolve('@msae/clip/package.json'));
const transformersMain = clipRequire.resolve('@huggingface/transformers');
const ortMain = createRequire(transformersMain).resolve('onnxruntime-web');
const ortDist = ortMain.slice(0, ortMain.lastIndexOf('/dist/') + 5);
// ONE variant, the plain SIMD-threaded wasm build (lib/ort-files.ts; the site bundles onnxruntime-web's wasm-only entry).
const ort = copyDir(ortDist, join(pub, 'ort'), (f) => /^ort-wasm-simd-threaded\.(wasm|mjs)$/.test(f));
// the wasm engine's threaded build (its module, worker file and the package.json that marks the worker CommonJS for Node)
const enginesRequire = createRequire(require.resolve('@msae/engines/package.json'));
const msaeWasm = join(dirname(enginesRequire.resolve('@msae/backend-wasm/package.json')), 'src', 'generated');
const mt = copyDir(msaeWasm, join(pub, 'msae-wasm'), (f) => /^msae_wasm_mt\.(mjs|worker\.js)$/.test(f));
// the COOP/COEP service-worker shim for static hosts (registered from the site's <head>, see .vitepress/config.ts)
copyFileSync(require.resolve('coi-serviceworker/coi-serviceworker.min.js'), join(pub, 'coi-serviceworker.js'));
console.log(`assets: coi-serviceworker, ${vocab} vocabulary files, ${wasm} tfjs wasm files, ${ort} onnxruntime-web files, ${mt} msae wasm thread files -> public/`);
