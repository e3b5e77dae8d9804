import type { TopLevelSpec } from 'vega-lite';
import type { ResultRecord } from '../results-table.js';

/** Vega-Lite spec of the sparsity / fidelity frontier: FVU and cosine against L0 (log scale), one line per checkpoint. */
export function paretoSpec(records: ResultRecord[], title: string): TopLevelSpec {
  const values = records.map((r) => ({
    checkpoint: r.checkpoint ?? 'sae',
    k: r.k,
    l0: Math.max(r.l0, 1e-3),
    fvu: Number.isFinite(r.fvu) ? r.fvu : null,
    cosine: Number.isFinite(r.cosine) ? r.cosine : null,
  }));
  const panel = (field: 'fvu' | 'cosine', label: string, scaleType: 'log' | 'linear') => ({
    width: 360,
    height: 260,
    title: `${label} vs L0`,
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'l0', type: 'quantitative' as const, title: 'L0 (mean active latents)', scale: { type: 'log' as const } },
      y: { field, type: 'quantitative' as const, title: label, scale: scaleType === 'log' ? { type: scaleType } : { type: scaleType, zero: false } },
      color: { field: 'checkpoint', type: 'nominal' as const, title: 'checkpoint' },
      order: { field: 'l0', type: 'quantitative' as const },
      tooltip: [
        { field: 'checkpoint', type: 'nominal' as const },
        { field: 'k', type: 'quantitative' as const },
        { field: 'l0', type: 'quantitative' as const, format: '.1f' },
        { field, type: 'quantitative' as const, format: '.4f' },
      ],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    hconcat: [panel('fvu', 'FVU', 'log'), panel('cosine', 'cosine', 'linear')],
    config: { font: 'DejaVu Sans' },
  } as TopLevelSpec;
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
