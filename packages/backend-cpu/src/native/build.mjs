// Provides the native CPU engine binary, msae_cpu.node: one N-API (version 8) module holding three kernel
// variants (base, avx2, avx512 on x86-64; base elsewhere), picked at load time from cpuid (see dispatch.cc).
//
// 1. prebuilds/<platform>-<arch>/msae_cpu.napi.glibc.node (linux-x64 ships in the package) is used as is when
//    its manifest (msae_cpu.json) records the same source hash as src/native/* now: nothing is compiled, and
//    a stale build/Release/msae_cpu.node is removed so it cannot shadow the prebuilt.
// 2. Otherwise (other platform, or sources edited since the prebuilt was made) the sources are compiled with
//    the system C++ compiler into build/Release/msae_cpu.node, which node-gyp-build loads before prebuilds.
// 3. Without a compiler / Node headers, or on a compile error, the build still succeeds: a warning, the reason
//    in build/Release/build.json, and the loader falls back to the (stale) prebuilt if there is one, else
//    reports the engine unavailable (so @msae/engines picks tfjs-wasm). MSAE_CPU_REQUIRE_NATIVE=1 (CI) makes a
//    failed compile exit 1 instead.
//
// Options: --prebuild (compile into prebuilds/<platform>-<arch>/ and write its manifest: how the committed
// binary is refreshed), MSAE_CPU_BUILD_FROM_SOURCE=1 (compile even when the prebuilt is current),
// MSAE_CPU_SKIP_NATIVE=1 (compile nothing), MSAE_CPU_NATIVE_OUT=DIR (compile into DIR instead of build/Release).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceHash } from './source-hash.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgRoot = path.resolve(here, '../..');
const tuple = `${process.platform}-${process.arch}`;
const prebuildDir = path.join(pkgRoot, 'prebuilds', tuple);
const PREBUILT = 'msae_cpu.napi.glibc.node';
const NAPI_VERSION = 8;
const asPrebuild = process.argv.includes('--prebuild');
const requireNative = process.env.MSAE_CPU_REQUIRE_NATIVE === '1';
const outDir = asPrebuild ? prebuildDir : (process.env.MSAE_CPU_NATIVE_OUT || path.join(pkgRoot, 'build', 'Release'));

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function record(status) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'build.json'), `${JSON.stringify(status, null, 2)}\n`);
}

const hash = sourceHash();
const manifest = readJson(path.join(prebuildDir, 'msae_cpu.json'));
const prebuiltCurrent = manifest?.sourceHash === hash && existsSync(path.join(prebuildDir, PREBUILT));

function done(status, message) {
  if (message) process.stderr.write(`${message}\n`);
  if (!asPrebuild) record(status);
  process.exit(0);
}

function fail(reason) {
  const fallback = existsSync(path.join(prebuildDir, PREBUILT))
    ? `the prebuilt ${path.relative(pkgRoot, path.join(prebuildDir, PREBUILT))} (built from older sources) is used instead`
    : 'the tfjs-wasm engine is used instead; install g++ and Node headers, then rebuild';
  if (requireNative || asPrebuild) {
    process.stderr.write(`error: @msae/backend-cpu native engine not built: ${reason}\n`);
    if (!asPrebuild) record({ ok: false, reason, sourceHash: hash });
    process.exit(1);
  }
  rmSync(path.join(outDir, 'msae_cpu.node'), { force: true });
  done({ ok: false, reason, sourceHash: hash }, `warning: @msae/backend-cpu native engine not built: ${reason}\n  (${fallback})`);
}

if (process.env.MSAE_CPU_SKIP_NATIVE === '1') fail('skipped (MSAE_CPU_SKIP_NATIVE=1)');
if (!asPrebuild && prebuiltCurrent && process.env.MSAE_CPU_BUILD_FROM_SOURCE !== '1') {
  rmSync(path.join(outDir, 'msae_cpu.node'), { force: true }); // never shadow the current prebuilt
  done({ ok: true, source: 'prebuilt', file: path.relative(pkgRoot, path.join(prebuildDir, PREBUILT)), sourceHash: hash });
}
const previous = readJson(path.join(outDir, 'build.json'));
if (!asPrebuild && previous?.ok && previous.source === 'compiled' && previous.sourceHash === hash && existsSync(path.join(outDir, 'msae_cpu.node')))
  done(previous); // already compiled from these sources

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

const cflags = ['-std=c++17', '-O3', '-fno-math-errno', '-fPIC', '-fvisibility=hidden', '-Wno-psabi',
  `-DNAPI_VERSION=${NAPI_VERSION}`, '-DNODE_GYP_MODULE_NAME=msae_cpu', `-I${include}`, `-I${here}`];
const avx2 = ['-mavx2', '-mfma', '-mf16c', '-mbmi2'];
// translation units in link order: with duplicate inline/template instances (std::vector, ...) the linker keeps
// the first, so the portable objects come before the variant ones and no shared code is AVX-compiled
const units = [
  { src: 'addon.cc', flags: [] },
  { src: 'dispatch.cc', flags: [] },
  { src: 'cxx_compat.cc', flags: [] },
  { src: 'kernels.cc', obj: 'k_base', flags: ['-DMSAE_KERNEL_NS=k_base'] },
  ...(process.arch === 'x64'
    ? [
        { src: 'kernels.cc', obj: 'k_avx2', flags: ['-DMSAE_KERNEL_NS=k_avx2', ...avx2] },
        { src: 'kernels.cc', obj: 'k_avx512', flags: ['-DMSAE_KERNEL_NS=k_avx512', ...avx2, '-mavx512f', '-mavx512vl', '-mavx512bw', '-mavx512dq', '-mprefer-vector-width=512'] },
        // the int8 x int8 search kernel for AVX-512 VNNI (picked only where cpuid has avx512vnni), linked last
        { src: 'int8_vnni.cc', extra: 'vnni', flags: [...avx2, '-mavx512f', '-mavx512vl', '-mavx512bw', '-mavx512dq', '-mavx512vnni'] },
      ]
    : []),
];

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(cxx, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve(e.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : err.trim().split('\n').slice(0, 6).join(' | ') || `exit ${code}`));
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'msae-native-build-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true })); // fail() and done() exit early
{
  const objects = units.map((u) => path.join(tmp, `${u.obj ?? path.basename(u.src, '.cc')}.o`));
  // at most two compilers at once (the kernels are the slow part)
  const errors = [];
  for (let i = 0; i < units.length; i += 2) {
    const batch = units.slice(i, i + 2).map((u, j) => run([...cflags, ...u.flags, '-c', path.join(here, u.src), '-o', objects[i + j]]));
    for (const [j, e] of (await Promise.all(batch)).entries()) if (e) errors.push(`${units[i + j].obj ?? units[i + j].src}: ${e}`);
    if (errors.length) break;
  }
  if (errors.length) fail(`compilation failed: ${errors.join('; ')}`);
  const linked = path.join(tmp, 'msae_cpu.node');
  const linkFlags = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : ['-Wl,--strip-debug'];
  const linkErr = await run(['-shared', '-fPIC', ...objects, '-o', linked, '-lpthread', ...linkFlags]);
  if (linkErr) fail(`link failed: ${linkErr}`);
  // it must load (undefined symbols only show up here) and report its kernels
  const probe = spawnSync(process.execPath, ['-e', `const i = require(${JSON.stringify(linked)}).kernelInfo(); if (!i.supported.length) process.exit(3); console.log(JSON.stringify(i))`],
    { encoding: 'utf8', env: { ...process.env, MSAE_CPU_KERNEL: '' } });
  if (probe.status !== 0) fail(`the compiled addon does not load: ${(probe.stderr || '').trim().split('\n')[0]}`);
  mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, asPrebuild ? PREBUILT : 'msae_cpu.node');
  renameSync(linked, target);
  const variants = units.filter((u) => u.obj).map((u) => u.obj.slice(2));
  const info = { ok: true, source: 'compiled', file: path.relative(pkgRoot, target), compiler: cxx, include, variants, napiVersion: NAPI_VERSION, sourceHash: hash, bytes: statSync(target).size };
  if (asPrebuild) {
    writeFileSync(path.join(outDir, 'msae_cpu.json'), `${JSON.stringify({ ...info, builtWith: `node ${process.version}`, builtOn: os.release() }, null, 2)}\n`);
    process.stderr.write(`prebuilt ${info.file} (${info.bytes} bytes, variants ${variants.join(', ')})\n`);
  } else {
    done(info, prebuiltCurrent ? undefined : existsSync(path.join(prebuildDir, PREBUILT))
      ? `note: @msae/backend-cpu sources differ from the prebuilt binary: compiled ${info.file} (run \`pnpm --filter @msae/backend-cpu run build:prebuilt\` to refresh the prebuilt)`
      : undefined);
  }
}
