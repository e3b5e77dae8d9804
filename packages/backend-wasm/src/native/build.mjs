// Builds the WebAssembly engine: the native engine's C++ kernels (../../../backend-cpu/src/native) plus
// wasm_api.cc, compiled by emcc (Debian's emscripten 3.1.6) with SIMD128 into one self-contained ES module
// (the .wasm embedded: no file to locate in Node, browsers or bundlers), src/generated/msae_wasm.mjs, with its
// manifest msae_wasm.json (source hash, compiler, flags, bytes). The generated files are committed, so users
// need no toolchain.
//
//   node src/native/build.mjs          rebuild when the sources changed (needs emcc)
//   node src/native/build.mjs --check  the committed module matches the sources: the hash always; when emcc is
//                                      present, a rebuild must reproduce the committed bytes (CI). Exit 1 if not.
// Single-threaded build (threads need cross-origin isolation and a pthread build; see README).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const kernels = path.resolve(here, '../../../backend-cpu/src/native');
const outDir = path.resolve(here, '../generated');
const MODULE = 'msae_wasm.mjs';
const MANIFEST = 'msae_wasm.json';
export const EMCC_FLAGS = [
  '-O3', '-std=c++17', '-msimd128', '-fno-math-errno', '-Wno-string-plus-int', '-DMSAE_KERNEL_NS=k_wasm',
  '-sMODULARIZE=1', '-sEXPORT_ES6=1', '-sEXPORT_NAME=createMsaeWasm', '-sALLOW_MEMORY_GROWTH=1', '-sMAXIMUM_MEMORY=4GB',
  '-sEXPORTED_FUNCTIONS=_malloc,_free', '-sENVIRONMENT=web,worker', '-sSINGLE_FILE=1', '-sINCOMING_MODULE_JS_API=wasmBinary,print,printErr',
];

/** sha256 over the kernel sources (backend-cpu's *.cc / *.h but its N-API and cpuid files), wasm_api.cc and the flags. */
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
  h.update(EMCC_FLAGS.join(' '));
  return h.digest('hex');
}

function emccVersion() {
  const r = spawnSync('emcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : undefined;
}

function compile(target) {
  const env = { ...process.env, NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':') };
  const r = spawnSync('emcc', [...EMCC_FLAGS, `-I${kernels}`, path.join(here, 'wasm_api.cc'), '-o', target], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`emcc failed: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 6).join(' | ')}`);
}

const fail = (msg) => {
  process.stderr.write(`backend-wasm: ${msg}\n`);
  process.exit(1);
};
const hash = wasmSourceHash();
const manifestPath = path.join(outDir, MANIFEST);
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : undefined;
const version = emccVersion();

if (process.argv.includes('--check')) {
  if (!manifest || !existsSync(path.join(outDir, MODULE))) fail(`${MODULE} or ${MANIFEST} missing: run node src/native/build.mjs`);
  if (manifest.sourceHash !== hash) fail(`${MODULE} is stale (built from other sources or flags): run node src/native/build.mjs with emcc`);
  const committed = readFileSync(path.join(outDir, MODULE));
  if (createHash('sha256').update(committed).digest('hex') !== manifest.moduleSha256) fail(`${MODULE} does not match its manifest's sha256`);
  if (!version) {
    process.stderr.write('backend-wasm: module current (source hash matches); emcc not found, rebuild comparison skipped\n');
    process.exit(0);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'msae-wasm-'));
  try {
    compile(path.join(tmp, MODULE));
    const rebuilt = readFileSync(path.join(tmp, MODULE));
    if (!rebuilt.equals(committed)) fail(`rebuilding with ${version} gives a different ${MODULE} (${rebuilt.length} vs ${committed.length} bytes): rebuild and commit it`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stderr.write(`backend-wasm: module current and reproduced byte for byte by ${version}\n`);
  process.exit(0);
}

if (manifest?.sourceHash === hash && existsSync(path.join(outDir, MODULE)) && !process.argv.includes('--force')) {
  process.stderr.write('backend-wasm: module current, nothing to build\n');
  process.exit(0);
}
if (!version) fail('emcc not found (apt-get install emscripten): the committed module is stale and cannot be rebuilt here');
compile(path.join(outDir, MODULE));
const bytes = readFileSync(path.join(outDir, MODULE));
writeFileSync(manifestPath, `${JSON.stringify({ sourceHash: hash, moduleSha256: createHash('sha256').update(bytes).digest('hex'), compiler: version, flags: EMCC_FLAGS, bytes: bytes.length, threads: false }, null, 2)}\n`);
process.stderr.write(`backend-wasm: built src/generated/${MODULE} (${bytes.length} bytes) with ${version}\n`);
