import type { BiasAnalysisResult, FairnessOutcome, GroupOutcome, Interval } from '@msae/analysis';
import type { TopLevelSpec } from 'vega-lite';

/** What bias.json holds (and the table and plot are drawn from). */
export interface BiasReport {
  checkpoint: string;
  data: string;
  attributes: string;
  /** ground-truth attribute, or null when the classifier's decisions are the target */
  target: string | null;
  /** what the positive decision means (the class, or the target attribute) */
  targetDescription: string;
  group: string;
  resamples: number;
  groupLabel: string;
  classifier: string;
  targetClassName: string;
  probe?: { l2: number; seed: number; heldOutAccuracy: number; trainAccuracy: number; heldOutRows: number; trainRows: number; iterations: number };
  /** latent -> concept name (named latents among those reported) */
  names: Record<number, string>;
  result: Omit<BiasAnalysisResult, 'classifier' | 'probe'>;
  seconds: number;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');
const signed = (v: number, digits = 4) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(digits)}` : 'n/a');
const ivPct = (i: Interval | undefined) => (i ? `${pct(i.estimate)} [${pct(i.low)}, ${pct(i.high)}]` : '');
const ivNum = (i: Interval | undefined, d = 3, sign = true) =>
  i ? `${sign ? signed(i.estimate, d) : i.estimate.toFixed(d)} [${sign ? signed(i.low, d) : i.low.toFixed(d)}, ${sign ? signed(i.high, d) : i.high.toFixed(d)}]` : '';

/** The outcomes compared: before, after the mitigation, and under the counterfactual. */
function scenarios(report: BiasReport): { name: string; outcome: FairnessOutcome }[] {
  const { result } = report;
  return [
    { name: 'before', outcome: result.before },
    { name: `after removing ${result.removed.length} latents`, outcome: result.after },
    { name: `counterfactual (${result.counterfactual.latents.length} group latents swapped)`, outcome: result.counterfactual.outcome },
  ];
}

/** Markdown: setup, per-group outcomes with intervals, the verdict, and the two latent rankings. */
export function biasMarkdown(report: BiasReport, plotFile: string | null): string {
  const { result } = report;
  const g1 = report.groupLabel;
  const g0 = `not ${report.groupLabel}`;
  const truth = result.hasTruth;
  const name = (j: number) => `${j}${report.names[j] ? ` (${report.names[j]})` : ''}`;
  const groupRow = (s: string, g: string, o: GroupOutcome) =>
    `| ${s} | ${g} | ${o.n} | ${o.positives} | ${ivPct(o.positiveRate)} |${truth ? ` ${ivPct(o.tpr)} | ${ivPct(o.fpr)} | ${ivPct(o.precision)} |` : ''}`;
  const lines = [
    `# Bias analysis: ${report.targetDescription} by ${report.group}`,
    '',
    `- checkpoint ${report.checkpoint}, data ${report.data} (${result.rows} rows: ${result.rows1} ${g1}, ${result.rows0} ${g0})`,
    `- decisions studied: ${report.probe ? `logistic probe (L2 ${report.probe.l2}, seed ${report.probe.seed}), held-out accuracy ${pct(report.probe.heldOutAccuracy)} on ${report.probe.heldOutRows} rows` : `${report.classifier}, positive = top-1 class "${report.targetClassName}"`}`,
    `- ground truth: ${truth ? `${report.target} (error rates below)` : 'none (the classifier\'s decisions are the target; no error rates)'}`,
    ...(result.circular ? [`- WARNING: the target column equals the classifier's own decisions: accuracy against it is circular (100% by construction)`] : []),
    `- codes: ${result.k === null ? 'every positive code' : `top ${result.k}`}; intervals: 95% bootstrap (${report.resamples} resamples, stratified by group)`,
    '',
    `## Verdict: ${result.verdict.kind}`,
    '',
    result.verdict.words,
    '',
    `Rule: ${result.verdict.rule}.`,
    '',
    '## Decisions per group',
    '',
    `| scenario | group | n | positives | positive rate [95% CI] |${truth ? ' TPR | FPR | precision |' : ''}`,
    `| --- | --- | ---: | ---: | ---: |${truth ? ' ---: | ---: | ---: |' : ''}`,
    ...scenarios(report).flatMap((s) => [groupRow(s.name, g1, s.outcome.group1), groupRow(s.name, g0, s.outcome.group0)]),
    '',
    `| scenario | parity difference (${g1} - ${g0}) | parity ratio |${truth ? ' TPR gap | FPR gap | accuracy |' : ''}`,
    `| --- | ---: | ---: |${truth ? ' ---: | ---: | ---: |' : ''}`,
    ...scenarios(report).map(
      (s) =>
        `| ${s.name} | ${ivNum(s.outcome.parityDifference)} | ${ivNum(s.outcome.parityRatio, 2, false)}x |${truth ? ` ${ivNum(s.outcome.tprGap)} | ${ivNum(s.outcome.fprGap)} | ${ivPct(s.outcome.accuracy)} |` : ''}`,
    ),
    '',
    `removed (the top latents by causal gap reduction): ${result.removed.map(name).join(', ') || 'none'}`,
    `counterfactual (the top latents by activation gap; each row gets the other group's mean code): ${result.counterfactual.latents.map(name).join(', ')}`,
    '',
    '## Latents by activation gap between the groups',
    '',
    `| rank | latent | concept | mean z ${g1} | mean z ${g0} | difference [95% CI] | fires ${g1} | fires ${g0} | std diff |`,
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.byGroupGap.map(
      (l, i) =>
        `| ${i + 1} | ${l.latent} | ${report.names[l.latent] ?? ''} | ${l.mean1.toFixed(3)} | ${l.mean0.toFixed(3)} | ${ivNum(l.difference)} | ${pct(l.rate1)} | ${pct(l.rate0)} | ${l.standardizedDifference.toFixed(2)} |`,
    ),
    '',
    `## Latents by causal effect on the gap (mean P(target) gap before: ${signed(result.probabilityGap)})`,
    '',
    `| rank | latent | concept | ablate: gap change [95% CI] | ablate dP ${g1} | ablate dP ${g0} | amplify x${result.alpha} dP ${g1} | amplify dP ${g0} | decisions flipped |`,
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.byCausalEffect.map(
      (l, i) =>
        `| ${i + 1} | ${l.latent} | ${report.names[l.latent] ?? ''} | ${ivNum(l.gapChange, 4)} | ${signed(l.ablate1)} | ${signed(l.ablate0)} | ${signed(l.amplify1)} | ${signed(l.amplify0)} | ${l.flips} |`,
    ),
    '',
    ...(plotFile ? [`![positive rate per group with the baseline, and the causal effect of the top latents](${plotFile})`, ''] : []),
  ];
  return lines.join('\n');
}

/**
 * Vega-Lite: (top) positive rate per group in each scenario with 95% intervals, on one shared 0..1 scale, with
 * each group's baseline (before) as a dashed rule; (bottom) the top latents' causal effect on the gap with
 * intervals, the zero line and the whole baseline gap marked.
 */
export function biasSpec(report: BiasReport, top = 12): TopLevelSpec {
  const { result } = report;
  const g1 = report.groupLabel;
  const g0 = `not ${report.groupLabel}`;
  const rates = scenarios(report).flatMap((s) =>
    ([[g1, s.outcome.group1], [g0, s.outcome.group0]] as const).map(([group, o]) => ({ scenario: s.name, group, rate: o.positiveRate.estimate, low: o.positiveRate.low, high: o.positiveRate.high })),
  );
  const baseline = [
    { group: g1, rate: result.before.group1.positiveRate.estimate },
    { group: g0, rate: result.before.group0.positiveRate.estimate },
  ];
  const maxRate = Math.min(1, Math.max(...rates.map((r) => r.high), 0.01) * 1.1);
  const order = scenarios(report).map((s) => s.name);
  const latents = result.byCausalEffect.slice(0, top).map((l, i) => ({
    latent: `${String(i + 1).padStart(2, ' ')}. #${l.latent}${report.names[l.latent] ? ` ${report.names[l.latent]}` : ''}`,
    change: l.gapChange.estimate,
    low: l.gapChange.low,
    high: l.gapChange.high,
  }));
  const color = { field: 'group', type: 'nominal', title: 'group', scale: { domain: [g1, g0] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${report.targetDescription} by ${report.group}: verdict "${result.verdict.kind}"`,
    vconcat: [
      {
        title: 'positive rate per group (95% CI); dashed: each group\'s baseline',
        width: 460,
        height: { step: 16 },
        layer: [
          {
            data: { values: rates },
            mark: 'bar',
            encoding: {
              y: { field: 'scenario', type: 'nominal', sort: order, title: null, axis: { labelLimit: 320 } },
              yOffset: { field: 'group', type: 'nominal', sort: [g1, g0] },
              x: { field: 'rate', type: 'quantitative', title: 'positive rate', scale: { domain: [0, maxRate] }, axis: { format: '%' } },
              color,
            },
          },
          {
            data: { values: rates },
            mark: { type: 'rule', color: 'black' },
            encoding: {
              y: { field: 'scenario', type: 'nominal', sort: order },
              yOffset: { field: 'group', type: 'nominal', sort: [g1, g0] },
              x: { field: 'low', type: 'quantitative' },
              x2: { field: 'high' },
            },
          },
          {
            data: { values: baseline },
            mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 2 },
            encoding: { x: { field: 'rate', type: 'quantitative' }, color },
          },
        ],
      },
      {
        title: `causal effect of ablating each latent on the gap in mean P(target) (95% CI); dotted: the whole baseline gap (${signed(result.probabilityGap)})`,
        width: 460,
        height: { step: 14 },
        layer: [
          {
            data: { values: latents },
            mark: { type: 'rule' },
            encoding: { y: { field: 'latent', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } }, x: { field: 'low', type: 'quantitative', title: 'change of the gap (group 1 - group 0)' }, x2: { field: 'high' } },
          },
          { data: { values: latents }, mark: { type: 'point', filled: true, color: 'black' }, encoding: { y: { field: 'latent', type: 'nominal', sort: null }, x: { field: 'change', type: 'quantitative' } } },
          { data: { values: [{ x: 0 }] }, mark: { type: 'rule', color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
          { data: { values: [{ x: -result.probabilityGap }] }, mark: { type: 'rule', color: 'gray', strokeDash: [2, 2] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        ],
      },
    ],
    config: { font: 'DejaVu Sans' },
  } as TopLevelSpec;
}
