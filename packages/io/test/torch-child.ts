// Child process of untrusted-torch.test.ts: loads one checkpoint and prints JSON with the outcome, the wall
// time and the process's peak resident memory (getrusage maxrss, which counts native buffers too).
import { loadCheckpoint } from '../src/checkpoint-dir.js';

async function main(): Promise<void> {
  const started = performance.now();
  let message: string | undefined;
  let dSae: number | undefined;
  try {
    dSae = (await loadCheckpoint(process.argv[2])).config.dSae;
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ message, dSae, ms, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

void main();
