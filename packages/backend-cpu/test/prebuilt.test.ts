// The package ships a prebuilt linux-x64 binary (prebuilds/linux-x64/msae_cpu.napi.glibc.node), so an npm user
// without a compiler still gets the native engine. It must be current (built from these sources), load with no
// compiler on PATH and no source build, keep each instruction set inside its own kernel variant (so the binary
// loads on CPUs without AVX-512 or AVX2), and honour MSAE_CPU_KERNEL.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { sourceHash } from '../src/native/source-hash.mjs';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prebuilt = path.join(pkg, 'prebuilds', 'linux-x64', 'msae_cpu.napi.glibc.node');
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'msae-prebuilt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// PATH with node alone: no g++, clang++ or c++
const bin = path.join(tmp, 'bin');
mkdirSync(bin);
symlinkSync(process.execPath, path.join(bin, 'node'));
const noCompiler = { ...process.env, PATH: bin, CXX: '', MSAE_CPU_KERNEL: '', MSAE_CPU_REQUIRE_NATIVE: '', MSAE_CPU_NATIVE_DIR: '' };

/** Runs `script` (ESM) in a child node that imports the built package as `m`; returns its JSON output. */
function inChild(script: string, env: NodeJS.ProcessEnv): unknown {
  const entry = path.join(pkg, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} missing: run the package build first`);
  const code = `const m = await import(${JSON.stringify(`file://${entry}`)});\n${script}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.runIf(onLinuxX64)('prebuilt linux-x64 binary', () => {
  it('is built from the current native sources (else: pnpm --filter @msae/backend-cpu run build:prebuilt)', () => {
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'prebuilds', 'linux-x64', 'msae_cpu.json'), 'utf8'));
    expect(manifest.sourceHash).toBe(sourceHash(path.join(pkg, 'src', 'native')));
    expect(manifest.variants).toEqual(['base', 'avx2', 'avx512']);
    expect(manifest.napiVersion).toBe(8);
  });

  it('without a compiler on PATH the build step compiles nothing and the engine loads from the prebuilt', () => {
    const out = path.join(tmp, 'out');
    const r = spawnSync(process.execPath, [path.join(pkg, 'src', 'native', 'build.mjs')], {
      env: { ...noCompiler, MSAE_CPU_NATIVE_OUT: out },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(path.join(out, 'build.json'), 'utf8'))).toMatchObject({ ok: true, source: 'prebuilt' });
    // PREBUILDS_ONLY: node-gyp-build skips build/ (a fresh clone has none)
    const got = inChild(
      'const e = m.createCpuEngine({ threads: 1 }); await e.dispose();\n' +
        'console.log(JSON.stringify({ availability: m.cpuEngineAvailability(), info: m.nativeKernelInfo(), variant: e.variant }));',
      { ...noCompiler, PREBUILDS_ONLY: '1' },
    ) as { availability: unknown; info: { source: string; file: string; variant: string; supported: string[] }; variant: string };
    expect(got.availability).toEqual({ available: true });
    expect(got.info.source).toBe('prebuilt');
    expect(got.info.file).toBe(prebuilt);
    expect(got.variant).toBe(got.info.supported[0]);
  });

  it('MSAE_CPU_KERNEL picks a supported variant, and an unsupported one makes the engine unavailable with the reason', () => {
    const script = 'console.log(JSON.stringify({ a: m.cpuEngineAvailability(), info: m.nativeKernelInfo() }));';
    const base = inChild(script, { ...noCompiler, MSAE_CPU_KERNEL: 'base' }) as { a: unknown; info: { variant: string; vectorFloats: number } };
    expect(base.a).toEqual({ available: true });
    expect(base.info.variant).toBe('base');
    expect(base.info.vectorFloats).toBe(4);
    const bad = inChild(script, { ...noCompiler, MSAE_CPU_KERNEL: 'avx1024' }) as { a: { available: boolean; reason: string } };
    expect(bad.a).toEqual({ available: false, reason: 'MSAE_CPU_KERNEL=avx1024: unknown kernel variant (expected avx512|avx2|base)' });
  });

  // what the binary needs from the system: glibc 2.17 and the libstdc++ of GCC 7 (see README)
  const objdump = spawnSync('objdump', ['--version']).status === 0;
  it.runIf(objdump)('needs no newer glibc than 2.17 and no newer libstdc++ than GCC 7', () => {
    const r = spawnSync('objdump', ['-T', prebuilt], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    const order = (a: number[], b: number[]) => {
      for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
      return 0;
    };
    const newest = (prefix: string) =>
      [...r.stdout.matchAll(new RegExp(`\\(${prefix}_([0-9.]+)\\)`, 'g'))]
        .map((m) => m[1].split('.').map(Number))
        .sort(order)
        .at(-1)
        ?.join('.');
    expect(newest('GLIBC')).toBe('2.17');
    expect(newest('GLIBCXX')).toBe('3.4.22');
    expect(newest('CXXABI')).toBe('1.3.11');
  });

  // The linker keeps one copy of each shared inline/template function; build.mjs links the portable objects
  // first so that copy is never AVX code. Check the binary: AVX (VEX/EVEX) instructions only inside their variant.
  // (k_vnni: the AVX-512 VNNI int8 kernel, int8_vnni.cc, dispatched only where cpuid has avx512vnni)
  it.runIf(objdump)('has AVX instructions only in the avx2/avx512/vnni kernels and AVX-512 ones only in the avx512/vnni kernels', () => {
    const r = spawnSync('objdump', ['-d', '-C', '--no-show-raw-insn', prebuilt], { encoding: 'utf8', maxBuffer: 256 << 20 });
    expect(r.status).toBe(0);
    let fn = '';
    const misplaced = new Set<string>();
    let zmmInAvx512 = 0;
    for (const line of r.stdout.split('\n')) {
      const head = /^[0-9a-f]+ <(.*)>:$/.exec(line);
      if (head) {
        fn = head[1];
        continue;
      }
      const mnemonic = line.split('\t')[1]?.trim().split(/\s+/)[0] ?? '';
      const avx512 = fn.includes('k_avx512::') || fn.includes('k_vnni::');
      const inVariant = avx512 || fn.includes('k_avx2::');
      if (line.includes('%zmm') || /^k[a-z]/.test(mnemonic)) {
        if (avx512) zmmInAvx512++;
        else misplaced.add(`AVX-512 (${mnemonic}) in ${fn}`);
      } else if (/^v(?!err|erw)/.test(mnemonic) && !inVariant) misplaced.add(`AVX (${mnemonic}) in ${fn}`); // any VEX instruction
    }
    expect([...misplaced]).toEqual([]);
    expect(zmmInAvx512).toBeGreaterThan(1000); // the AVX-512 kernels are there and use 16-float vectors
  });
});
