// The build step (src/native/build.mjs) on a copy of the package: with the prebuilt current it compiles nothing;
// with sources edited since the prebuilt was made it compiles them into build/Release/msae_cpu.node, which the
// loader prefers, and does not compile again until they change; a broken compile fails the build under
// MSAE_CPU_REQUIRE_NATIVE=1 (CI) and otherwise warns and falls back to the prebuilt.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const copy = mkdtempSync(path.join(os.tmpdir(), 'msae-source-build-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));
const hasCompiler = ['g++', 'clang++', 'c++'].some((c) => spawnSync(c, ['--version']).status === 0);
const nodeGypBuild = createRequire(import.meta.url)('node-gyp-build') as { path(dir: string): string };
const built = path.join(copy, 'build', 'Release', 'msae_cpu.node');
const status = () => JSON.parse(readFileSync(path.join(copy, 'build', 'Release', 'build.json'), 'utf8'));

/** Runs the copy's build step (asynchronously: a compile takes a while and the test worker must stay responsive). */
function build(env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(copy, 'src', 'native', 'build.mjs')], {
      env: { ...process.env, MSAE_CPU_REQUIRE_NATIVE: '', MSAE_CPU_BUILD_FROM_SOURCE: '', MSAE_CPU_NATIVE_OUT: '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64' && hasCompiler)('native build step', () => {
  cpSync(path.join(pkg, 'src', 'native'), path.join(copy, 'src', 'native'), { recursive: true });
  cpSync(path.join(pkg, 'prebuilds'), path.join(copy, 'prebuilds'), { recursive: true });
  cpSync(path.join(pkg, 'package.json'), path.join(copy, 'package.json'));

  it('compiles nothing while the prebuilt matches the sources', async () => {
    const r = await build();
    expect(r.status).toBe(0);
    expect(status()).toMatchObject({ ok: true, source: 'prebuilt' });
    expect(existsSync(built)).toBe(false);
    expect(nodeGypBuild.path(copy)).toBe(path.join(copy, 'prebuilds', 'linux-x64', 'msae_cpu.napi.glibc.node'));
  });

  it('compiles edited sources into build/Release, loads that first, and does not recompile', async () => {
    appendFileSync(path.join(copy, 'src', 'native', 'kernels.cc'), '// edited\n');
    const r = await build();
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^note: @msae\/backend-cpu sources differ from the prebuilt binary: compiled build\/Release\/msae_cpu.node/);
    expect(status()).toMatchObject({ ok: true, source: 'compiled', variants: ['base', 'avx2', 'avx512'] });
    expect(nodeGypBuild.path(copy)).toBe(built);
    const info = createRequire(import.meta.url)(built).kernelInfo('base');
    expect(info.variant).toBe('base');
    const mtime = statSync(built).mtimeMs;
    expect((await build()).status).toBe(0);
    expect(statSync(built).mtimeMs).toBe(mtime);
  }, 300_000);

  it('fails on a broken compile under MSAE_CPU_REQUIRE_NATIVE=1, else warns and falls back to the prebuilt', async () => {
    appendFileSync(path.join(copy, 'src', 'native', 'dispatch.cc'), 'this is not C++;\n');
    const strict = await build({ MSAE_CPU_REQUIRE_NATIVE: '1' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/^error: @msae\/backend-cpu native engine not built: compilation failed: dispatch.cc: /);
    const lenient = await build();
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toMatch(/^warning: @msae\/backend-cpu native engine not built: compilation failed/);
    expect(lenient.stderr).toContain('the prebuilt prebuilds/linux-x64/msae_cpu.napi.glibc.node (built from older sources) is used instead');
    expect(status()).toMatchObject({ ok: false });
    expect(existsSync(built)).toBe(false);
    expect(nodeGypBuild.path(copy)).toBe(path.join(copy, 'prebuilds', 'linux-x64', 'msae_cpu.napi.glibc.node'));
  }, 300_000);
});
