// Child process of crash-safe-save.test.ts: saves a small checkpoint (seeded) with resume state to argv[2].
// The parent preloads kill-at.cjs, which kills this process with SIGKILL at a chosen step of the save.
import { createRng, resolveConfig, type Checkpoint } from '@msae/core';
import { saveCheckpoint } from '../src/checkpoint-dir.js';

export function seededCheckpoint(seed: number): Checkpoint {
  const config = resolveConfig({ dIn: 4, architecture: 'topk', k: 2, dSae: 8 });
  const rng = createRng(seed);
  const f = (n: number) => rng.fillUniform(new Float32Array(n), -1, 1);
  return { config, params: { W_enc: f(32), b_enc: f(8), W_dec: f(32), b_dec: f(4) }, normalization: { mean: f(4), scale: 2 } };
}

if (process.argv[2]) void saveCheckpoint(process.argv[2], seededCheckpoint(Number(process.argv[3])), { trainerState: { seed: Number(process.argv[3]) } });
