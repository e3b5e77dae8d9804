#!/usr/bin/env node
/**
 * WebGPU engine bench: configs A-D (A msae-rw 512->4096, B topk k=64, C msae-rw 768->6144, D topk k=4096 =
 * A's largest level alone; the shapes of apps/bench), samples/s (median step), per-phase times (a separate
 * profiled run: one submission per phase), encoding throughput, and A/D. Prints the adapter first.
 *
 *   node scripts/bench.mjs [--config A,B,C,D] [--batch N] [--steps N] [--warmup N] [--json]
 *                          [--swiftshader] [--require-hardware]
 *
 * --swiftshader re-runs itself on Chromium's SwiftShader Vulkan (VK_ICD_FILENAMES, and LD_LIBRARY_PATH when the
 * system has no libvulkan1); the default batch is then 256 ("correctness scale"), else 4096.
 * --require-hardware exits 1 when the adapter is a software one. The measurement is apps/bench's (its configs and its
 * one timed step loop, @msae/training's timedSteps, with --engine webgpu). Needs `pnpm build` of this package and
 * apps/bench first.
 * Progress on stderr; a table (or, with --json, one JSON object as the last line) on stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const fail = (msg) => {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
};

let args;
try {
  args = parseArgs({
    options: {
      config: { type: 'string', default: 'A,B,C,D' },
      batch: { type: 'string' },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      json: { type: 'boolean', default: false },
      swiftshader: { type: 'boolean', default: false },
      'require-hardware': { type: 'boolean', default: false },
      child: { type: 'boolean', default: false },
    },
  }).values;
} catch (e) {
  fail(String(e.message).split('\n')[0]);
}

if (args.swiftshader && !args.child) {
  if (!existsSync(ICD)) fail(`--swiftshader: ${ICD} not found (apt-get install -y chromium)`);
  const env = { ...process.env, VK_ICD_FILENAMES: ICD };
  if (!['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some(existsSync)) {
    env.LD_LIBRARY_PATH = ['/usr/lib/chromium', process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child'], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

const positive = (name, v, dflt) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`--${name}: expected a positive integer, got '${v}'`);
  return n;
};
const nonNegative = (name, v, dflt) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`--${name}: expected an integer >= 0, got '${v}'`);
  return n;
};

const CONFIG_NAMES = ['A', 'B', 'C', 'D'];
const names = args.config.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
for (const n of names) if (!CONFIG_NAMES.includes(n)) fail(`--config: unknown config '${n}' (expected A, B, C, D or a comma list)`);

let mod;
let bench;
try {
  mod = await import('../dist/index.js');
  bench = await import('../../../apps/bench/dist/index.js');
} catch (e) {
  fail(`not built (run: npx --yes pnpm@10.34.8 --filter @msae/bench... build): ${String(e.message).split('\n')[0]}`);
}
const availability = await mod.webGpuEngineAvailability();
if (!availability.available) fail(availability.reason);
if (args['require-hardware'] && availability.software) fail(`--require-hardware: the adapter is a software one (${availability.label})`);
const software = availability.software;
const batch = positive('batch', args.batch, software ? 256 : 4096);
const steps = positive('steps', args.steps, software ? 3 : 10);
const warmup = nonNegative('warmup', args.warmup, software ? 1 : 2);
const log = (s) => process.stderr.write(`${s}\n`);
log(`adapter: ${availability.label} (${availability.adapter.source})`);

const results = [];
for (const n of names) {
  const bc = { ...bench.benchConfig(n), batch };
  log(`config ${n}: ${bc.description}, batch ${batch}`);
  results.push({ description: bc.description, ...(await bench.measureConfig(bc, { steps, warmup, engine: 'webgpu', log })) });
}
const byName = Object.fromEntries(results.map((r) => [r.name, r]));
const summary = {};
if (byName.A && byName.D) summary.msaeOverLargestLevelStepTime = byName.A.secondsPerStep / byName.D.secondsPerStep; // A/D
if (byName.A && byName.B) summary.msaeOverTopkStepTime = byName.A.secondsPerStep / byName.B.secondsPerStep; // A/B
const out = { adapter: availability.adapter, label: availability.label, batch, steps, warmup, configs: results, ...summary };
if (args.json) {
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  const f = (v, d = 3) => v.toFixed(d);
  const lines = [
    `adapter: ${availability.label}`,
    '| config | samples/s | s/step | encode | topk | decode | backward | optimizer | encode rows/s (k=64) | codes/row |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} ${r.description} | ${f(r.samplesPerSecond, 0)} | ${f(r.secondsPerStep, 4)} | ${['encode', 'topk', 'decode', 'backward', 'optimizer'].map((p) => f(r.phases[p], 4)).join(' | ')} | ${f(r.encodeSamplesPerSecond, 0)} | ${f(r.activeCodesPerRow, 0)} |`),
  ];
  if (summary.msaeOverLargestLevelStepTime !== undefined) lines.push(`A/D (MSAE over its largest level alone): ${f(summary.msaeOverLargestLevelStepTime, 2)}`);
  if (summary.msaeOverTopkStepTime !== undefined) lines.push(`A/B (MSAE over TopK k=64): ${f(summary.msaeOverTopkStepTime, 2)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
