import type { TopLevelSpec } from 'vega-lite';
import { paretoSpec as sharedParetoSpec } from '@msae/metrics';
import type { ResultRecord } from '../results-table.js';

/** Vega-Lite spec of the sparsity / fidelity frontier (the one spec in @msae/metrics, shared with the docs playground). */
export function paretoSpec(records: ResultRecord[], title: string): TopLevelSpec {
  const spec = sharedParetoSpec(records, title) as unknown as TopLevelSpec & { hconcat: unknown[] };
  if (records.some((r) => r.agreement !== undefined)) spec.hconcat.push(agreementPanel(records));
  return spec;
}

/** --classifier: top-1 agreement classifier(x) vs classifier(x^) against L0, its own data (the panel carries KL in the tooltip). */
function agreementPanel(records: ResultRecord[]) {
  const values = records
    .filter((r) => r.agreement !== undefined)
    .map((r) => ({ checkpoint: r.checkpoint ?? 'sae', k: r.k, l0: Math.max(r.l0, 1e-3), agreement: r.agreement, kl: r.kl }));
  return {
    width: 360,
    height: 260,
    title: 'classifier top-1 agreement vs L0',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'l0', type: 'quantitative', title: 'L0 (mean active latents)', scale: { type: 'log' } },
      y: { field: 'agreement', type: 'quantitative', title: 'top-1 agreement', scale: { zero: false } },
      color: { field: 'checkpoint', type: 'nominal', title: 'checkpoint' },
      order: { field: 'l0', type: 'quantitative' },
      tooltip: [
        { field: 'checkpoint', type: 'nominal' },
        { field: 'k', type: 'quantitative' },
        { field: 'agreement', type: 'quantitative', format: '.4f' },
        { field: 'kl', type: 'quantitative', format: '.4f', title: 'KL(p(x) || p(x^))' },
      ],
    },
  };
}

/** Render a Vega-Lite spec to SVG in Node (vega-lite compile, vega View with renderer 'none', toSVG). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG from SVG with sharp (librsvg), when sharp loads on this machine; null otherwise. */
export async function svgToPng(svg: string): Promise<Uint8Array | null> {
  let sharp: (typeof import('sharp'))['default'];
  try {
    sharp = (await import('sharp')).default;
  } catch {
    return null;
  }
  const png = await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
