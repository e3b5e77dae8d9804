#!/usr/bin/env node
/**
 * Per-core training speed of the wasm engine against the native engine's variants, in one run: msae rw 512 -> 4096
 * (k 64), batch 256, samples/s (wall) and samples per CPU-second (process CPU time, all threads: robust to a
 * busy machine), for native avx512 on every thread and on 1, native avx2 and base (SSE2: 4 lanes, as SIMD128) on 1,
 * and wasm (SIMD128, 1 thread). Shows whether the gap to native is vector width, threads or wasm code.
 *   node scripts/bench-per-core.mjs [--steps 6]    (needs `pnpm build`)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { generateDemoEmbeddings, initParams, resolveConfig } from '@msae/core';
import { createCpuEngine, nativeKernelInfo } from '@msae/backend-cpu';
import { createWasmEngine } from '../dist/index.js';
// Relative import: @msae/training is not a dependency of this package (engines -> backend-wasm would make a cycle).
const { timedSteps } = await import(new URL('../../training/dist/index.js', import.meta.url).href);

const { values } = parseArgs({ options: { steps: { type: 'string', default: '6' } } });
const steps = Number(values.steps);
const config = resolveConfig({ dIn: 512, dSae: 4096, architecture: 'msae', k: 64, weighting: 'rw' });
const params = initParams(config, 42);
const batch = 256;
const x = generateDemoEmbeddings({ rows: batch * 4, dIn: 512, seed: 7 }).x.data;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One warm-up step, then `steps` timed steps through @msae/training's timedSteps; its stopwatch also reads CPU time. */
async function measure(engine) {
  await engine.load({ config, params });
  const cpu = [];
  const stopwatch = () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    return () => {
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
      return (performance.now() - t0) / 1000;
    };
  };
  const { seconds } = await timedSteps(engine, x.subarray(0, batch * 512), batch, { lr: 1e-4, warmup: 1, steps, stopwatch });
  await engine.dispose();
  return { wall: batch / median(seconds), perCpuSecond: batch / median(cpu) };
}

const info = nativeKernelInfo();
console.log(`CPU: ${info.cpuModel} x ${os.cpus().length}; load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
console.log('| engine | samples/s (wall) | samples per CPU-second | per CPU-second, of native avx512 1 thread |');
console.log('|---|---:|---:|---:|');
const rows = [
  [`native avx512, ${os.cpus().length} threads`, () => createCpuEngine({})],
  ['native avx512, 1 thread', () => createCpuEngine({ threads: 1, kernel: 'avx512' })],
  ['native avx2, 1 thread', () => createCpuEngine({ threads: 1, kernel: 'avx2' })],
  ['native base (SSE2), 1 thread', () => createCpuEngine({ threads: 1, kernel: 'base' })],
  ['wasm (SIMD128), 1 thread', () => createWasmEngine({ threads: 1 })],
];
let reference;
for (const [name, make] of rows) {
  if (/avx512|avx2/.test(name) && !info.supported.includes(name.includes('avx512') ? 'avx512' : 'avx2')) continue;
  const r = await measure(await make());
  if (name === 'native avx512, 1 thread') reference = r.perCpuSecond;
  console.log(`| ${name} | ${r.wall.toFixed(0)} | ${r.perCpuSecond.toFixed(0)} | ${reference ? `${((100 * r.perCpuSecond) / reference).toFixed(0)}%` : '-'} |`);
}
console.log(`load average after: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
