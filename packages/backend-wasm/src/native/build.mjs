// Builds the WebAssembly engine: the native engine's C++ kernels (../../../backend-cpu/src/native) plus
// wasm_api.cc, compiled by emcc (Debian's emscripten 3.1.6) with SIMD128 into two self-contained ES modules (the
// .wasm embedded: no file to locate in Node, browsers or bundlers), with one manifest, msae_wasm.json (source
// hash, compiler, flags, sha256 and bytes of every file):
//   src/generated/msae_wasm.mjs                    single-threaded (any page; bundled into dist)
//   src/generated/msae_wasm_mt.mjs + .worker.js    pthreads over a shared memory (Node; cross-origin isolated pages)
// The generated files are committed, so users need no toolchain.
//
//   node src/native/build.mjs          rebuild when the sources changed (needs emcc)
//   node src/native/build.mjs --check  the committed modules match the sources: the hash always; when emcc is
//                                      present, a rebuild must reproduce the committed bytes (CI; MSAE_WASM_NO_REBUILD=1
//                                      skips it). Exit 1 if not.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const kernels = path.resolve(here, '../../../backend-cpu/src/native');
const outDir = path.resolve(here, '../generated');
const MANIFEST = 'msae_wasm.json';
// SLICE 32: the sparse slice kernels hold 8 accumulators of 4 floats (64 would need 16, more than V8 keeps in the
// 16 xmm registers; decode ran 1.7x slower). MIN_ROW_BLOCK 32: weight-gradient row blocks small enough for L1 (wasm
// has no prefetch; see sae_pass.h). Bulk memory (memcpy / memset as memory.copy / fill), non-trapping float-to-int
// and sign extension: post-MVP features every engine with SIMD128 has.
const COMMON = [
  '-O3', '-std=c++17', '-msimd128', '-mbulk-memory', '-mnontrapping-fptoint', '-msign-ext', '-fno-math-errno', '-Wno-string-plus-int',
  '-DMSAE_KERNEL_NS=k_wasm', '-DMSAE_SLICE=32', '-DMSAE_MIN_ROW_BLOCK=32',
  '-sMODULARIZE=1', '-sEXPORT_ES6=1', '-sEXPORT_NAME=createMsaeWasm', '-sALLOW_MEMORY_GROWTH=1', '-sMAXIMUM_MEMORY=4GB',
  '-sEXPORTED_FUNCTIONS=_malloc,_free', '-sSINGLE_FILE=1',
];
/** The two builds: their output file, the files emcc writes, and their own flags. */
export const BUILDS = [
  { name: 'single', module: 'msae_wasm.mjs', files: ['msae_wasm.mjs'], flags: [...COMMON, '-sENVIRONMENT=web,worker', '-sINCOMING_MODULE_JS_API=wasmBinary,print,printErr'] },
  {
    name: 'threads',
    module: 'msae_wasm_mt.mjs',
    files: ['msae_wasm_mt.mjs', 'msae_wasm_mt.worker.js'],
    flags: [
      ...COMMON, '-pthread', '-Wno-pthreads-mem-growth', '-sPTHREAD_POOL_SIZE=Module.msaeThreads||1', '-sENVIRONMENT=web,worker,node',
      '-sINCOMING_MODULE_JS_API=wasmBinary,print,printErr,mainScriptUrlOrBlob,msaeThreads',
    ],
  },
];
// emscripten 3.1.6's Node branch of an ES6 pthread build names require / __dirname (CommonJS): defined from
// import.meta.url inside the factory (process.getBuiltinModule: Node >= 20.16). The worker file is CommonJS in Node,
// so src/generated holds a package.json of type commonjs (the .mjs files stay ES modules by their extension).
const NODE_ESM_SHIM =
  'if (typeof process == "object" && process.versions && process.versions.node && typeof require == "undefined") { var require = process.getBuiltinModule("module").createRequire(import.meta.url); var __filename = require("url").fileURLToPath(import.meta.url); var __dirname = require("path").dirname(__filename); }';
const SHIM_AFTER = 'var _scriptDir = import.meta.url;';

/** sha256 over the kernel sources (backend-cpu's *.cc / *.h but its N-API and cpuid files), wasm_api.cc, this script's flags and shim. */
export function wasmSourceHash() {
  const h = createHash('sha256');
  const skip = new Set(['addon.cc', 'dispatch.cc', 'dispatch.h', 'cxx_compat.cc']);
  const files = [
    ...readdirSync(kernels).filter((n) => /\.(cc|h)$/.test(n) && !skip.has(n)).sort().map((n) => path.join(kernels, n)),
    path.join(here, 'wasm_api.cc'),
  ];
  for (const f of files) {
    h.update(`${path.basename(f)}\0`);
    h.update(readFileSync(f));
    h.update('\0');
  }
  for (const b of BUILDS) h.update(`${b.name}\0${b.flags.join(' ')}\0`);
  h.update(NODE_ESM_SHIM);
  return h.digest('hex');
}

function emccVersion() {
  const r = spawnSync('emcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : undefined;
}

/** Compile every build into `dir`; returns { file: bytes }. */
function compile(dir) {
  const env = { ...process.env, NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':') };
  const out = {};
  for (const b of BUILDS) {
    const target = path.join(dir, b.module);
    const r = spawnSync('emcc', [...b.flags, `-I${kernels}`, path.join(here, 'wasm_api.cc'), '-o', target], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`emcc (${b.name}) failed: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 6).join(' | ')}`);
    if (b.name === 'threads') {
      const js = readFileSync(target, 'utf8');
      if (!js.includes(SHIM_AFTER)) throw new Error(`emcc output of ${b.module} lacks "${SHIM_AFTER}": the Node shim cannot be placed`);
      writeFileSync(target, js.replace(SHIM_AFTER, `${SHIM_AFTER}\n  ${NODE_ESM_SHIM}`));
    }
    for (const f of b.files) out[f] = readFileSync(path.join(dir, f));
  }
  out['package.json'] = Buffer.from('{ "type": "commonjs" }\n');
  return out;
}

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const fail = (msg) => {
  process.stderr.write(`backend-wasm: ${msg}\n`);
  process.exit(1);
};
const hash = wasmSourceHash();
const manifestPath = path.join(outDir, MANIFEST);
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : undefined;
const committedFiles = manifest?.files ? Object.keys(manifest.files) : [];
const version = emccVersion();

if (process.argv.includes('--check')) {
  if (!manifest?.files || committedFiles.some((f) => !existsSync(path.join(outDir, f)))) fail(`generated modules or ${MANIFEST} missing: run node src/native/build.mjs`);
  if (manifest.sourceHash !== hash) fail('the generated modules are stale (built from other sources or flags): run node src/native/build.mjs with emcc');
  for (const f of committedFiles) {
    if (sha(readFileSync(path.join(outDir, f))) !== manifest.files[f].sha256) fail(`${f} does not match its manifest's sha256`);
  }
  if (!version || process.env.MSAE_WASM_NO_REBUILD === '1') {
    process.stderr.write(`backend-wasm: modules current (source hash matches); ${version ? 'MSAE_WASM_NO_REBUILD=1' : 'emcc not found'}, rebuild comparison skipped\n`);
    process.exit(0);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'msae-wasm-'));
  try {
    const rebuilt = compile(tmp);
    for (const f of committedFiles) {
      const committed = readFileSync(path.join(outDir, f));
      if (!rebuilt[f]?.equals(committed)) fail(`rebuilding with ${version} gives a different ${f} (${rebuilt[f]?.length} vs ${committed.length} bytes): rebuild and commit it`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stderr.write(`backend-wasm: ${committedFiles.length} generated files current and reproduced byte for byte by ${version}\n`);
  process.exit(0);
}

if (manifest?.sourceHash === hash && committedFiles.every((f) => existsSync(path.join(outDir, f))) && !process.argv.includes('--force')) {
  process.stderr.write('backend-wasm: modules current, nothing to build\n');
  process.exit(0);
}
if (!version) fail('emcc not found (apt-get install emscripten): the committed modules are stale and cannot be rebuilt here');
const built = compile(outDir);
writeFileSync(path.join(outDir, 'package.json'), built['package.json']);
const files = Object.fromEntries(Object.entries(built).map(([f, b]) => [f, { sha256: sha(b), bytes: b.length }]));
writeFileSync(manifestPath, `${JSON.stringify({ sourceHash: hash, compiler: version, builds: BUILDS.map((b) => ({ name: b.name, module: b.module, flags: b.flags })), files }, null, 2)}\n`);
process.stderr.write(`backend-wasm: built ${Object.entries(files).map(([f, v]) => `${f} (${v.bytes} bytes)`).join(', ')} with ${version}\n`);
