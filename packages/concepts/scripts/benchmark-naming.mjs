#!/usr/bin/env node
// Naming quality on the planted-concept benchmark, for both decoder mappings and a grid of thresholds.
// This is how DEFAULT_THRESHOLDS were chosen (README "Choosing the thresholds").
// Run after building: node scripts/benchmark-naming.mjs [--json]
import { nameLatents } from '../dist/index.js';
import { plantedBenchmark, scoreBenchmark } from '../dist/testing.js';

const configs = [
  { name: 'd128 vocab1k', dim: 128, concepts: 100, distractors: 800, randomLatents: 100, seed: 1 },
  { name: 'd512 vocab2k', dim: 512, concepts: 100, distractors: 2000, randomLatents: 100, seed: 2 },
  { name: 'd512 vocab20k', dim: 512, concepts: 100, distractors: 20000, randomLatents: 100, seed: 3 },
  { name: 'd768 vocab5k noisy', dim: 768, concepts: 100, distractors: 5000, randomLatents: 100, decoderNoise: 1.6, seed: 4 },
];
const zs = [3, 4, 5, 6, 7, 8, 10];
const margins = [0, 0.01, 0.02, 0.03, 0.05];
const json = process.argv.includes('--json');
const records = [];
const variants = [
  { name: 'row', mapping: 'row', centerVocabulary: true },
  { name: 'row, raw vocabulary', mapping: 'row', centerVocabulary: false },
  { name: 'affine', mapping: 'affine', centerVocabulary: true },
  { name: 'affine, raw vocabulary', mapping: 'affine', centerVocabulary: false },
];
for (const cfg of configs) {
  const bench = plantedBenchmark(cfg);
  for (const { name: mapping, ...variant } of variants) {
    // thresholds -inf keep every best guess; the grid below re-decides from z and margin
    const result = await nameLatents({
      decoder: bench.decoder,
      vocabulary: bench.vocabulary,
      normalization: bench.normalization,
      ...variant,
      thresholds: { minZ: -Infinity, minMargin: -Infinity },
    });
    for (const minZ of zs) {
      for (const minMargin of margins) {
        const latents = result.latents.map((l) => ({
          ...l,
          name: l.z >= minZ && l.margin >= minMargin ? l.candidates[0].label : null,
        }));
        const s = scoreBenchmark(bench.truth, latents);
        records.push({ config: cfg.name, mapping, minZ, minMargin, ...s });
      }
    }
  }
}
if (json) {
  console.log(JSON.stringify({ records }));
} else {
  for (const { name: mapping } of variants) {
    console.log(`\nmapping ${mapping}: planted named correctly / random left unnamed (top-1 of planted)`);
    for (const cfg of configs) {
      const rs = records.filter((r) => r.config === cfg.name && r.mapping === mapping);
      console.log(`  ${cfg.name}: top-1 ${(rs[0].plantedTop1 * 100).toFixed(0)}%`);
      for (const minZ of zs) {
        const cells = margins.map((m) => {
          const r = rs.find((x) => x.minZ === minZ && x.minMargin === m);
          return `m>=${m}: ${(r.plantedCorrect * 100).toFixed(0)}/${(r.randomUnnamed * 100).toFixed(0)}`;
        });
        console.log(`    z>=${minZ}  ${cells.join('  ')}`);
      }
    }
  }
}
