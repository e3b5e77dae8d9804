import type { TopLevelSpec } from 'vega-lite';
import type { BiasAnalysisResult } from '@msae/analysis';

/** What bias.json holds (and the table and plot are drawn from). */
export interface BiasReport {
  checkpoint: string;
  data: string;
  attributes: string;
  target: string;
  group: string;
  groupLabel: string;
  classifier: string;
  targetClassName: string;
  probe?: { l2: number; seed: number; heldOutAccuracy: number; trainAccuracy: number; heldOutRows: number; trainRows: number; iterations: number };
  /** latent -> concept name (named latents among those reported) */
  names: Record<number, string>;
  result: Omit<BiasAnalysisResult, 'classifier' | 'probe'>;
  seconds: number;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const signed = (v: number, digits = 4) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;

/** Markdown: setup, before/after the mitigation, and the ranked latents. */
export function biasMarkdown(report: BiasReport, plotFile: string | null): string {
  const { result } = report;
  const g1 = report.groupLabel;
  const g0 = `not ${report.groupLabel}`;
  const lines = [
    `# Bias analysis: ${report.target} by ${report.group}`,
    '',
    `- checkpoint ${report.checkpoint}, data ${report.data} (${result.rows} rows: ${result.rows1} ${g1}, ${result.rows0} ${g0})`,
    `- codes: ${result.k === null ? 'every positive code' : `top ${result.k}`}; amplification x${result.alpha}`,
    report.probe
      ? `- classifier: logistic probe (L2 ${report.probe.l2}, seed ${report.probe.seed}), held-out accuracy ${pct(report.probe.heldOutAccuracy)} on ${report.probe.heldOutRows} rows (train ${pct(report.probe.trainAccuracy)})`
      : `- classifier: ${report.classifier} (class ${report.targetClassName})`,
    '',
    '| | accuracy | positive rate ' + g1 + ' | positive rate ' + g0 + ' | gap | mean P ' + g1 + ' | mean P ' + g0 + ' |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...(['before', 'after'] as const).map((w) => {
      const o = result[w];
      return `| ${w === 'before' ? 'before' : `after removing ${result.removed.length}`} | ${pct(o.accuracy)} | ${pct(o.positiveRate1)} | ${pct(o.positiveRate0)} | ${signed(o.gap, 3)} | ${o.meanProbability1.toFixed(4)} | ${o.meanProbability0.toFixed(4)} |`;
    }),
    '',
    `removed latents: ${result.removed.map((j) => `${j}${report.names[j] ? ` (${report.names[j]})` : ''}`).join(', ') || 'none'}`,
    '',
    `| rank | latent | concept | mean z ${g1} | mean z ${g0} | rate ${g1} | rate ${g0} | std diff | ablate dP ${g1} | ablate dP ${g0} | amplify dP ${g1} | amplify dP ${g0} | gap reduction |`,
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.ranked.map(
      (l, i) =>
        `| ${i + 1} | ${l.latent} | ${report.names[l.latent] ?? ''} | ${l.mean1.toFixed(3)} | ${l.mean0.toFixed(3)} | ${pct(l.rate1)} | ${pct(l.rate0)} | ${l.standardizedDifference.toFixed(2)} | ${signed(l.ablate1)} | ${signed(l.ablate0)} | ${signed(l.amplify1)} | ${signed(l.amplify0)} | ${signed(l.gapReduction)} |`,
    ),
    '',
    ...(plotFile ? [`![effect of the top latents on P(target) per group](${plotFile})`, ''] : []),
  ];
  return lines.join('\n');
}

/** Vega-Lite: the top latents (by gap reduction), mean change of P(target) per group when ablated and when amplified. */
export function biasSpec(report: BiasReport, top = 15): TopLevelSpec {
  const { result } = report;
  const g1 = report.groupLabel;
  const g0 = `not ${report.groupLabel}`;
  const values = result.ranked.slice(0, top).flatMap((l, i) => {
    const label = `${String(i + 1).padStart(2, ' ')}. #${l.latent}${report.names[l.latent] ? ` ${report.names[l.latent]}` : ''}`;
    return [
      { latent: label, intervention: 'ablate (z = 0)', group: g1, change: l.ablate1 },
      { latent: label, intervention: 'ablate (z = 0)', group: g0, change: l.ablate0 },
      { latent: label, intervention: `amplify (z x ${result.alpha})`, group: g1, change: l.amplify1 },
      { latent: label, intervention: `amplify (z x ${result.alpha})`, group: g0, change: l.amplify0 },
    ];
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${report.target} by ${report.group}: top latents by gap reduction, mean change of P(target)`,
    data: { values },
    facet: { column: { field: 'intervention', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: { step: 9 },
      mark: 'bar',
      encoding: {
        y: { field: 'latent', type: 'nominal', sort: null, title: null },
        yOffset: { field: 'group', type: 'nominal' },
        x: { field: 'change', type: 'quantitative', title: 'mean change of P(target)' },
        color: { field: 'group', type: 'nominal', title: 'group' },
        tooltip: [
          { field: 'latent', type: 'nominal' },
          { field: 'group', type: 'nominal' },
          { field: 'change', type: 'quantitative', format: '.4f' },
        ],
      },
    },
    resolve: { scale: { x: 'independent' } },
    config: { font: 'DejaVu Sans' },
  } as TopLevelSpec;
}
