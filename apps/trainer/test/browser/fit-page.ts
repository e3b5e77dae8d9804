/** Page entry of the fit() browser test: trains the demo with @msae/training's fit() and reports the validation FVU. */
import { demoDataset } from '@msae/core';
import { fit, type FitOptions } from '@msae/training';

declare global {
  interface Window {
    fitResult?: { records?: Array<{ k: number; fvu: number }>; steps?: number; error?: string };
  }
}

async function run(): Promise<void> {
  const settings = JSON.parse(decodeURIComponent(location.hash.slice(1))) as FitOptions & { ks: number[] };
  const { ks, ...options } = settings;
  const demo = demoDataset();
  const model = await fit(demo.train.x, { ...options, demo: true });
  const records = await model.evaluate(demo.val.x, ks);
  window.fitResult = { records: records.map((r) => ({ k: r.k, fvu: r.fvu })), steps: model.training.steps as number };
}

run().catch((err: unknown) => {
  window.fitResult = { error: err instanceof Error ? err.message : String(err) };
});
