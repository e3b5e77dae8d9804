import type { DashboardExample, DashboardHistogram, LatentDashboard, LatentDashboardSet } from './latent-dashboard-record.js';

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '–' : x.toFixed(digits));

/** Bar chart with axes: x = bin edges (labelled), y = counts on a log10(1 + count) scale. */
export function histogramSvg(h: { edges: number[]; counts: number[] }, xLabel: string, width = 300, height = 120): string {
  const left = 34;
  const bottom = 28;
  const top = 6;
  const right = 8;
  const w = width - left - right;
  const hh = height - top - bottom;
  const maxLog = Math.log10(1 + Math.max(1, ...h.counts));
  const n = h.counts.length;
  const bars = h.counts
    .map((c, i) => {
      // bar height ~ log10(1 + count) / log10(1 + max count)
      const bh = (Math.log10(1 + c) / maxLog) * hh;
      return `<rect x="${(left + (i * w) / n).toFixed(1)}" y="${(top + hh - bh).toFixed(1)}" width="${Math.max(0.5, w / n - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="#4a7ab5"/>`;
    })
    .join('');
  const yTicks: string[] = [];
  for (let e = 0; 10 ** e <= 10 ** maxLog; e++) {
    const y = top + hh - (Math.log10(1 + 10 ** e) / maxLog) * hh;
    yTicks.push(`<line x1="${left - 3}" x2="${left}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#333"/><text x="${left - 5}" y="${(y + 3).toFixed(1)}" text-anchor="end">${10 ** e}</text>`);
  }
  const xTicks = [0, Math.floor(n / 2), n]
    .map((i) => {
      const x = left + (i * w) / n;
      return `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top + hh}" y2="${top + hh + 3}" stroke="#333"/><text x="${x.toFixed(1)}" y="${top + hh + 13}" text-anchor="middle">${h.edges[i].toFixed(2)}</text>`;
    })
    .join('');
  return (
    `<svg class="hist" width="${width}" height="${height}" font-size="9" font-family="sans-serif" role="img">` +
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + hh}" stroke="#333"/><line x1="${left}" x2="${left + w}" y1="${top + hh}" y2="${top + hh}" stroke="#333"/>` +
    `${bars}${yTicks.join('')}${xTicks}` +
    `<text x="${left + w / 2}" y="${height - 2}" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text transform="translate(9 ${top + hh / 2}) rotate(-90)" text-anchor="middle">rows (log)</text></svg>`
  );
}

function activationHistogram(h: DashboardHistogram | null): string {
  if (!h) return '<p class="muted">never active on the data</p>';
  return histogramSvg({ edges: h.log10Edges, counts: h.counts }, 'log10 activation');
}

function exampleText(e: DashboardExample): string {
  const parts = [e.label, e.source, e.zeroShot ? `zero-shot: ${e.zeroShot}` : undefined].filter((x) => x !== undefined && x !== '');
  return `row ${e.row} (${e.activation.toFixed(2)}${e.duplicates > 1 ? `, ×${e.duplicates}` : ''})${parts.length ? `: ${esc(parts.join(' · '))}` : ''}`;
}

function card(d: LatentDashboard): string {
  const title = d.name === null ? '<span class="muted">unnamed</span>' : `<b>${esc(d.name)}</b>${d.nameSource ? ` <span class="muted">(${esc(d.nameSource)})</span>` : ''}`;
  const parent = d.parent ? ` · parent <a href="#l${d.parent.index}">#${d.parent.index}</a> ${d.parent.name ? `“${esc(d.parent.name)}”` : ''} (${(100 * d.parent.coactivation).toFixed(0)}% co-active)` : '';
  const level = d.level === null ? '' : ` · level ${d.level} (prefix ${d.prefix})`;
  const freq = d.frequency === null ? '' : ` · frequency ${(100 * d.frequency).toFixed(2)}%`;
  const top = d.top.length ? `<ol class="ex">${d.top.map((e) => `<li>${exampleText(e)}</li>`).join('')}</ol>` : '';
  const bands = d.quantiles.length
    ? `<table class="q"><tr><th>quantiles</th><th>activation</th><th>examples</th></tr>${d.quantiles
        .map((b) => `<tr><td>${b.from.toFixed(1)}–${b.to.toFixed(1)}</td><td>${b.minActivation.toFixed(2)}–${b.maxActivation.toFixed(2)}</td><td>${b.examples.map(exampleText).join('<br>')}</td></tr>`)
        .join('')}</table>`
    : '';
  const cands = `<table class="c"><tr><th>candidate</th><th>decoder cos</th><th>p</th><th>evidence rank</th><th>lift</th></tr>${d.candidates
    .slice(0, 5)
    .map((c) => `<tr><td>${esc(c.label)}${c.source ? ` <span class="muted">${esc(c.source)}</span>` : ''}</td><td>${c.decoderScore.toFixed(3)}</td><td>${c.pValue.toPrecision(2)}</td><td>${c.evidenceRank ?? '–'}</td><td>${fmt(c.lift)}</td></tr>`)
    .join('')}</table>`;
  const near = d.nearest.length ? `<p class="muted">decoder-nearest: ${d.nearest.map((n) => `<a href="#l${n.index}">#${n.index}</a>${n.name ? ` ${esc(n.name)}` : ''} (${n.cosine.toFixed(2)})`).join(', ')}</p>` : '';
  return `<details class="latent${d.name ? ' named' : ''}" id="l${d.index}"${d.name ? ' open' : ''}><summary>#${d.index} ${title}${level}${freq}${parent}</summary><p>${esc(d.summary)}</p><div class="row"><div>${activationHistogram(d.histogram)}</div><div>${cands}</div></div>${top}${bands}${near}</details>`;
}

/** log10(frequency) of every live latent, binned (the across-latent log-density histogram). */
function densityHistogram(latents: LatentDashboard[]): string {
  const logs = latents.filter((d) => d.frequency !== null && d.frequency > 0).map((d) => Math.log10(d.frequency as number));
  if (!logs.length) return '';
  const lo = Math.floor(Math.min(...logs) * 2) / 2;
  const hi = Math.max(lo + 0.5, Math.ceil(Math.max(...logs) * 2) / 2);
  const bins = 30;
  const counts = new Array<number>(bins).fill(0);
  for (const v of logs) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  return histogramSvg({ edges, counts }, 'log10 frequency (latents)', 420, 150);
}

/** A self-contained static HTML report of the dashboards, grouped by nesting level, named latents first. */
export function dashboardsToHtml(set: LatentDashboardSet): string {
  const levels = new Map<number | null, LatentDashboard[]>();
  for (const d of set.latents) {
    const list = levels.get(d.level) ?? [];
    list.push(d);
    levels.set(d.level, list);
  }
  const dead = set.latents.filter((d) => d.frequency === 0).length;
  const heldOut = set.latents.filter((d) => d.evidence?.holdsUp !== undefined);
  const holds = heldOut.filter((d) => d.evidence?.holdsUp).length;
  const sections = [...levels.entries()]
    .sort((a, b) => (a[0] ?? 1e9) - (b[0] ?? 1e9))
    .map(([level, list]) => {
      const named = list.filter((d) => d.name !== null);
      const live = list.filter((d) => d.name === null && d.frequency !== 0);
      const deadHere = list.filter((d) => d.frequency === 0).map((d) => d.index);
      const head = level === null ? 'latents' : `level ${level}: latents ${list[0].index}–${list[list.length - 1].index} (prefix ${list[0].prefix})`;
      return `<h2>${head} · ${named.length} named of ${list.length}</h2>${named.map(card).join('')}${live.map(card).join('')}${deadHere.length ? `<p class="muted">never active on the data: ${deadHere.length} latents</p>` : ''}`;
    })
    .join('');
  const data = set.data
    ? `data ${esc(set.data.file)}: ${set.data.rows} rows, ${set.data.duplicateRows} near-duplicate rows collapsed (${set.data.distinctRows} distinct)`
    : 'no data: names from the decoder test alone';
  const rule = `accepted when the decoder match survives false-discovery control at ${set.rule.fdr}${set.rule.maxEvidenceRank ? ` and, on rows not used to choose it, the concept ranks ≤ ${set.rule.maxEvidenceRank} of the vocabulary by lift` : ''}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Latents of ${esc(set.checkpoint)}</title><style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px 24px;color:#222;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin-top:24px;border-bottom:1px solid #ccc}
.muted{color:#777}details.latent{border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 8px}
details.named{border-color:#4a7ab5}summary{cursor:pointer}.row{display:flex;gap:16px;align-items:flex-start}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #e3e3e3;padding:2px 6px;text-align:left;vertical-align:top}
ol.ex{margin:4px 0;padding-left:22px;font-size:12px}
</style></head><body><h1>Latents of ${esc(set.checkpoint)}</h1>
<p><b>${set.named}</b> of ${set.latents.length} latents named (${rule}); vocabulary ${set.vocabulary.size} concepts from ${esc(set.vocabulary.sources.join(', '))}.<br>${data}; ${dead} latents never active.${heldOut.length ? `<br>held-out check: ${holds} of ${heldOut.length} checkable names hold up (${((100 * holds) / heldOut.length).toFixed(0)}%).` : ''}</p>
<figure>${densityHistogram(set.latents)}<figcaption class="muted">how often each live latent fires</figcaption></figure>
${sections}</body></html>
`;
}
