// Compiles the native CPU engine (src/native/addon.cc) into dist/native/*.node with the system C++ compiler.
// x86-64 gets two variants: `avx2` (AVX2 + FMA, x86-64-v3) and `base` (any x86-64); other CPUs get `base`.
// Never fails the build: without a compiler or Node headers it prints a warning and records why in
// dist/native/build.json, and cpuEngineAvailability() reports that reason at run time.
// MSAE_CPU_SKIP_NATIVE=1 skips compilation (to exercise the fallback); MSAE_CPU_NATIVE_OUT redirects the output.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = process.env.MSAE_CPU_NATIVE_OUT ?? path.resolve(here, '../../dist/native');
mkdirSync(outDir, { recursive: true });

function record(status) {
  writeFileSync(path.join(outDir, 'build.json'), JSON.stringify(status, null, 2) + '\n');
}

function fail(reason) {
  process.stderr.write(`warning: @msae/backend-cpu native engine not built: ${reason}\n` +
    '  (the tfjs-wasm engine is used instead; install g++ and Node headers, then rebuild)\n');
  record({ ok: false, reason, variants: [] });
  process.exit(0);
}

if (process.env.MSAE_CPU_SKIP_NATIVE === '1') fail('skipped (MSAE_CPU_SKIP_NATIVE=1)');

function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
    path.join(os.homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ].filter(Boolean);
  return candidates.find((d) => existsSync(path.join(d, 'node_api.h')));
}

function compiler() {
  const names = [process.env.CXX, 'g++', 'clang++', 'c++'].filter(Boolean);
  return names.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
}

const include = nodeHeaders();
if (!include) fail('Node.js headers (node_api.h) not found; set npm_config_nodedir');
const cxx = compiler();
if (!cxx) fail('no C++ compiler found (g++, clang++ or $CXX)');

const common = ['-std=c++17', '-O3', '-fno-math-errno', '-fPIC', '-shared', '-fvisibility=hidden', '-DNODE_GYP_MODULE_NAME=msae_cpu',
  `-I${include}`, path.join(here, 'addon.cc'), '-lpthread'];
if (process.platform === 'darwin') common.push('-undefined', 'dynamic_lookup');
const variants = process.arch === 'x64'
  ? [{ name: 'avx2', flags: ['-mavx2', '-mfma', '-mf16c', '-mbmi2'] }, { name: 'base', flags: [] }]
  : [{ name: 'base', flags: [] }];

function compile(v) {
  const target = path.join(outDir, `msae_cpu_${v.name}.node`);
  const tmp = `${target}.tmp-${process.pid}`;
  return new Promise((resolve) => {
    const child = spawn(cxx, [...v.flags, ...common, '-o', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve({ name: v.name, ok: false, error: e.message }));
    child.on('close', (code) => {
      if (code === 0) {
        renameSync(tmp, target);
        resolve({ name: v.name, ok: true, file: path.basename(target) });
      } else {
        rmSync(tmp, { force: true });
        resolve({ name: v.name, ok: false, error: err.trim().split('\n').slice(0, 5).join(' | ') });
      }
    });
  });
}

const results = await Promise.all(variants.map(compile));
const built = results.filter((r) => r.ok).map((r) => r.name);
if (built.length === 0) fail(`compilation failed: ${results.map((r) => `${r.name}: ${r.error}`).join('; ')}`);
for (const r of results) if (!r.ok) process.stderr.write(`warning: native variant ${r.name} failed: ${r.error}\n`);
record({ ok: true, compiler: cxx, include, variants: built });
