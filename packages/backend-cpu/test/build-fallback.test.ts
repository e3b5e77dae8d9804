// The native build never fails the package build: when it has to compile (here forced with
// MSAE_CPU_BUILD_FROM_SOURCE=1, as on a platform without a prebuilt) and there is no C++ compiler it warns,
// records the reason, and the engine reports itself unavailable with that reason (so @msae/engines falls back
// to tfjs-wasm).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'native', 'build.mjs');
const out = mkdtempSync(path.join(os.tmpdir(), 'msae-native-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('native build without a compiler', () => {
  it('exits 0 with a one-line warning and records the reason', async () => {
    const r = spawnSync(process.execPath, [script], {
      env: { ...process.env, PATH: path.join(out, 'no-such-bin'), CXX: '', MSAE_CPU_NATIVE_OUT: out, MSAE_CPU_BUILD_FROM_SOURCE: '1', MSAE_CPU_REQUIRE_NATIVE: '' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: @msae\/backend-cpu native engine not built: no C\+\+ compiler found/);
    const status = JSON.parse(readFileSync(path.join(out, 'build.json'), 'utf8'));
    expect(status).toMatchObject({ ok: false, reason: 'no C++ compiler found (g++, clang++ or $CXX)' });

    process.env.MSAE_CPU_NATIVE_DIR = out;
    const { cpuEngineAvailability, createCpuEngine } = await import('../src/index.js');
    expect(cpuEngineAvailability()).toEqual({ available: false, reason: 'no C++ compiler found (g++, clang++ or $CXX)' });
    expect(() => createCpuEngine()).toThrow(/native engine unavailable: no C\+\+ compiler found/);
  });
});
