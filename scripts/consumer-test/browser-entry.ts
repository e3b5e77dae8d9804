// Bundled by the consumer test with esbuild for the browser from the installed tarballs and run in headless
// Chromium: a few training steps of a small MSAE on the tfjs-cpu engine; the page reports the losses.
import { computeNormalization, demoDataset, initParams, normalize, resolveConfig } from '@msae/core';
import { createEngine } from '@msae/engines/browser';

async function main(): Promise<{ engine: string; losses: number[] }> {
  const { train } = demoDataset({ train: 256, val: 16 });
  const x = normalize(train.x.data, computeNormalization(train.x));
  const config = resolveConfig({ dIn: train.x.cols, architecture: 'msae', expansion: 1, k: 16 });
  const engine = await createEngine('tfjs-cpu');
  await engine.load({ config, params: initParams(config, 42) });
  const losses: number[] = [];
  for (let step = 0; step < 8; step++) losses.push((await engine.trainStep(x.subarray(0, 64 * config.dIn), 64, 1e-3)).loss);
  await engine.dispose();
  return { engine: engine.name, losses };
}

const report = (globalThis as unknown as { msaeReport: (r: unknown) => void }).msaeReport;
main().then(report, (err: unknown) => report({ error: String(err) }));
