import { ArgumentError } from '@msae/core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult } from './measure.js';

export const TORCH_INSTALL_HINT = 'apt-get install -y python3-torch python3-numpy libopenblas0-pthread';

/** The PyTorch baseline script shipped with the app (python/pytorch_baseline.py), from src/ or dist/. */
export function baselineScript(fromDir: string): string | undefined {
  const script = path.join(fromDir, '..', 'python', 'pytorch_baseline.py');
  return existsSync(script) ? script : undefined;
}

function python(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Why the baseline cannot run here (undefined when it can). */
export function baselineUnavailable(script: string | undefined): string | undefined {
  if (!script) return 'python/pytorch_baseline.py not found';
  const r = spawnSync(python(), ['-c', 'import torch, numpy'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) return `python3-torch is not installed (${TORCH_INSTALL_HINT})`;
  return undefined;
}

/** Run the PyTorch baseline for one config on the same normalized batch; its progress goes to our stderr. */
export function runBaseline(
  script: string,
  name: string,
  batch: Float32Array,
  opts: { steps: number; warmup: number; threads?: number },
): BenchResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'msae-bench-'));
  try {
    const data = path.join(dir, 'batch.f32');
    writeFileSync(data, Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength));
    const args = [script, '--config', name, '--steps', String(opts.steps), '--warmup', String(opts.warmup), '--data', data, '--json'];
    if (opts.threads) args.push('--threads', String(opts.threads));
    const r = spawnSync(python(), args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new ArgumentError('', `PyTorch baseline for config ${name} failed (exit ${r.status ?? r.signal})`);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as BenchResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
