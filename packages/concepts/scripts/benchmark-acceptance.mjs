#!/usr/bin/env node
// Precision and recall of the decoder acceptance rule (null model + Benjamini-Hochberg) across FDR
// levels on the planted-class layout of issue 18: 200 noisy copies of class embeddings + 312 random
// rows, vocabulary = the 1000 classes. This is how DEFAULT_EVIDENCE_RULE.fdr was chosen (README).
// Run after building: node scripts/benchmark-acceptance.mjs [--head ../../../shared/data/clip-vit-b32/imagenet_zeroshot_1000_512.npy --classes ../../../shared/data/imagenet_classes.json] [--json]
import { readFileSync } from 'node:fs';
import { nameWithEvidence } from '../dist/index.js';
import { plantedClassBenchmark, precisionAcrossFdr } from '../dist/testing.js';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
let matmul;
try {
  matmul = (await import('@msae/backend-cpu')).gemmABt;
} catch {}
const fdrs = [0.01, 0.02, 0.05, 0.1, 0.2];
const settings = [];
for (const cosine of [0.96, 0.5, 0.35, 0.25]) settings.push({ name: `synthetic classes, cos ${cosine}`, opts: { cosine, seed: 1800 } });
const headFile = arg('--head');
if (headFile) {
  const { readEmbeddings } = await import('@msae/io');
  const classEmbeddings = await readEmbeddings(headFile);
  const classLabels = JSON.parse(readFileSync(arg('--classes'), 'utf8'));
  for (const cosine of [0.96, 0.5, 0.35, 0.25]) settings.push({ name: `ImageNet head, cos ${cosine}`, opts: { cosine, seed: 1800, classEmbeddings, classLabels } });
}
const records = [];
for (const s of settings) {
  const bench = plantedClassBenchmark(s.opts);
  const res = await nameWithEvidence({ decoder: bench.decoder, vocabulary: bench.vocabulary, matmul, nullSamples: 8192 });
  const p = res.decisions.map((d) => d.evidence.pValue);
  const best = res.decisions.map((d) => d.candidates[0].label);
  for (const r of precisionAcrossFdr(bench.truth, best, p, fdrs)) records.push({ setting: s.name, ...r });
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ records }));
else {
  console.log('| setting | ' + fdrs.map((f) => `FDR ${f}`).join(' | ') + ' |');
  console.log('| --- |' + fdrs.map(() => ' --- |').join(''));
  for (const s of settings) {
    const cells = fdrs.map((f) => {
      const r = records.find((x) => x.setting === s.name && x.fdr === f);
      return `${(100 * r.precision).toFixed(1)}% / ${(100 * r.recall).toFixed(1)}% / ${(100 * r.randomUnnamed).toFixed(1)}%`;
    });
    console.log(`| ${s.name} | ${cells.join(' | ')} |`);
  }
  console.log('\ncells: precision (named right / named) / recall (planted named right) / random rows unnamed');
}
