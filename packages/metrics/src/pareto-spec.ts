/** One point of a sparsity / fidelity frontier: a checkpoint evaluated at one k. */
export interface ParetoPoint {
  /** Line label (default `sae`). */
  checkpoint?: string;
  k: number;
  l0: number;
  fvu: number;
  cosine: number;
}

/** A Vega-Lite (v6) top-level spec as a plain JSON object; render it with vega-lite + vega (Node) or vega-embed (browser). */
export type ParetoSpec = Record<string, unknown> & { $schema: string; data: { values: Record<string, unknown>[] } };

export interface ParetoSpecOptions {
  /** Panel size in pixels (default 360 x 260). */
  width?: number;
  height?: number;
  /** Font family (default `DejaVu Sans`, present where the CLI renders PNGs). */
  font?: string;
}

/**
 * The Vega-Lite spec of the sparsity / fidelity frontier shared by the CLI report and the docs
 * playground: FVU (log) and cosine against L0 (log), one line per checkpoint.
 */
export function paretoSpec(points: ParetoPoint[], title: string, options: ParetoSpecOptions = {}): ParetoSpec {
  const values = points.map((r) => ({
    checkpoint: r.checkpoint ?? 'sae',
    k: r.k,
    l0: Math.max(r.l0, 1e-3),
    fvu: Number.isFinite(r.fvu) ? r.fvu : null,
    cosine: Number.isFinite(r.cosine) ? r.cosine : null,
  }));
  const panel = (field: 'fvu' | 'cosine', label: string, scaleType: 'log' | 'linear') => ({
    width: options.width ?? 360,
    height: options.height ?? 260,
    title: `${label} vs L0`,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'l0', type: 'quantitative', title: 'L0 (mean active latents)', scale: { type: 'log' } },
      y: { field, type: 'quantitative', title: label, scale: scaleType === 'log' ? { type: scaleType } : { type: scaleType, zero: false } },
      color: { field: 'checkpoint', type: 'nominal', title: 'checkpoint' },
      order: { field: 'l0', type: 'quantitative' },
      tooltip: [
        { field: 'checkpoint', type: 'nominal' },
        { field: 'k', type: 'quantitative' },
        { field: 'l0', type: 'quantitative', format: '.1f' },
        { field, type: 'quantitative', format: '.4f' },
      ],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    hconcat: [panel('fvu', 'FVU', 'log'), panel('cosine', 'cosine', 'linear')],
    config: { font: options.font ?? 'DejaVu Sans' },
  };
}
