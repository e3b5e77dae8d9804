#!/usr/bin/env node
/**
 * Summary of a gpu-bench.sh run: reads webgpu.json, cpu.json and torch-cuda.jsonl from the given folder and prints
 * samples/s per engine and config, webgpu / cpu, webgpu / PyTorch CUDA, and A/D of each engine.
 *   node scripts/bench-summary.mjs bench-results/
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  process.stderr.write(`bench-summary: folder '${dir ?? ''}' not found (usage: bench-summary.mjs DIR)\n`);
  process.exit(1);
}
const lastJson = (file) => {
  const p = join(dir, file);
  if (!existsSync(p)) return null;
  const lines = readFileSync(p, 'utf8').trim().split('\n').filter(Boolean);
  try {
    return lines.length ? JSON.parse(lines[lines.length - 1]) : null;
  } catch {
    return null;
  }
};
const webgpu = lastJson('webgpu.json');
const cpu = lastJson('cpu.json');
const torchPath = join(dir, 'torch-cuda.jsonl');
const torch = existsSync(torchPath) ? readFileSync(torchPath, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const by = (list) => Object.fromEntries((list ?? []).map((r) => [r.name, r]));
const W = by(webgpu?.configs);
const Cc = by(cpu?.configs);
const T = by(torch);
const names = [...new Set([...Object.keys(W), ...Object.keys(Cc), ...Object.keys(T)])].sort();
const sps = (r) => (r ? Math.round(r.samplesPerSecond).toString() : '-');
const ratio = (a, b) => (a && b ? (a.samplesPerSecond / b.samplesPerSecond).toFixed(2) + 'x' : '-');
const lines = [];
if (webgpu) lines.push(`webgpu adapter: ${webgpu.label}, batch ${webgpu.batch}`);
if (cpu?.configs?.[0]) lines.push(`cpu engine: ${cpu.configs[0].engine}${cpu.configs[0].cpuModel ? ` on ${cpu.configs[0].cpuModel}` : ''}`);
if (torch[0]) lines.push(`pytorch: ${torch[0].engine}`);
lines.push('| config | webgpu samples/s | cpu samples/s | pytorch cuda samples/s | webgpu/cpu | webgpu/pytorch cuda |', '|---|---:|---:|---:|---:|---:|');
for (const n of names) lines.push(`| ${n} | ${sps(W[n])} | ${sps(Cc[n])} | ${sps(T[n])} | ${ratio(W[n], Cc[n])} | ${ratio(W[n], T[n])} |`);
const ad = (m) => (m.A && m.D ? (m.A.secondsPerStep / m.D.secondsPerStep).toFixed(2) : '-');
lines.push(`A/D (MSAE step over its largest level alone): webgpu ${ad(W)}, cpu ${ad(Cc)}, pytorch cuda ${ad(T)}`);
lines.push('reference: the CPU engine on the project\'s 2-core machine runs config A at ~3000 samples/s (issue aim: webgpu >= 50x that, within 2x of PyTorch CUDA)');
process.stdout.write(lines.join('\n') + '\n');
