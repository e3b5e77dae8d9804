import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceEngine, denormalize, normalize, resolveConfig, type Checkpoint, type Matrix } from '@msae/core';
import { readEmbeddings, writeEmbeddings } from '@msae/io';
import {
  DownstreamAccumulator,
  classifierLogits,
  codeIndex,
  codeSearch,
  conceptDirection,
  conceptLatentSet,
  createSaeModel,
  encodeRows,
  exactSearch,
  latentScales,
  maxActivation,
  plantedBias,
  resolveEdits,
  steer,
  typicalActivation,
  zeroShotHead,
} from '@msae/analysis';
import { lastJson, runCli } from './cli-harness.js';
import { makeCheckpoint, makeData, writeCheckpointDir } from './fixtures.js';

const dIn = 8;
const dSae = 32;
let dir: string;
let x: Matrix;
let ckpt: Checkpoint;
let ckptDir: string;
let dataFile: string;
let namesFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-analysis-cli-'));
  x = makeData(80, dIn, 3);
  ckpt = makeCheckpoint(x, dSae, 21);
  ckptDir = join(dir, 'sae');
  await writeCheckpointDir(ckptDir, ckpt);
  dataFile = join(dir, 'data.npy');
  await writeEmbeddings(dataFile, x);
  namesFile = join(dir, 'names.json');
  const latents = Array.from({ length: dSae }, (_, index) => ({
    index,
    name: index === 5 || index === 9 ? 'tent' : index === 2 ? 'dog' : null,
    score: 0.3,
    margin: 0.1,
    z: 6,
    candidates: [{ label: index === 5 || index === 9 ? 'tent' : 'dog', score: 0.3 }],
  }));
  await writeFile(namesFile, JSON.stringify({ latents }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const oneLine = (stderr: string) => stderr.trim().split('\n').length === 1;

describe('msae-eval steer', () => {
  it('no edit writes x exactly; concept edits match @msae/analysis steer', async () => {
    const same = join(dir, 'same.npy');
    const r0 = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--out', same, '--json']);
    expect(r0.code).toBe(0);
    expect(Array.from((await readEmbeddings(same)).data)).toEqual(Array.from(x.data));
    const out = join(dir, 'steered.npy');
    const r = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--names', namesFile, '--edit', 'tent=*3', '--edit', '7=0', '--k', '6', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary.edits.map((e: { latent: number }) => e.latent)).toEqual([5, 9, 7]);
    const model = createSaeModel(ckpt);
    const expected = await steer(model, x, resolveEdits([{ target: 5, op: 'scale', value: 3 }, { target: 9, op: 'scale', value: 3 }, { target: 7, op: 'set', value: 0 }], dSae), { k: 6 });
    const written = (await readEmbeddings(out)).data;
    for (let i = 0; i < written.length; i++) expect(written[i]).toBeCloseTo(expected.data[i], 5);
  });

  it('strengths in data units resolve to the latent\'s median / max on the data; leaving the range warns; per-query effects reported', async () => {
    const model = createSaeModel(ckpt);
    const scales = latentScales(await encodeRows(model, x, { k: ckpt.config.k }));
    const r = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--edit', '7=+1typ', '--edit', '3=2max', '--rows', '1,2,3', '--neighbours', '3', '--json']);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.edits[0]).toMatchObject({ latent: 7, given: '1typ', value: expect.closeTo(typicalActivation(scales, 7), 5) });
    expect(s.edits[1]).toMatchObject({ latent: 3, given: '2max', value: expect.closeTo(2 * maxActivation(scales, 3), 5), outOfRange: 3 });
    expect(s.warnings.filter((w: string) => w.startsWith('latent 3:'))).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: latent 3: 3 of 3 rows are pushed above the largest activation/);
    expect(s.queries.map((q: { row: number }) => q.row)).toEqual([1, 2, 3]);
    const q = s.queries[0];
    expect(q.neighboursBefore).toHaveLength(3);
    expect(q.neighboursBefore.map((n: { row: number }) => n.row)).not.toContain(1);
    const steered = await steer(model, { data: x.data.slice(dIn, 2 * dIn), rows: 1, cols: dIn }, resolveEdits([{ target: 7, op: 'add', value: s.edits[0].value }, { target: 3, op: 'set', value: s.edits[1].value }], dSae), { k: ckpt.config.k });
    let dot = 0, a = 0, b = 0;
    for (let d = 0; d < dIn; d++) {
      dot += x.data[dIn + d] * steered.data[d];
      a += x.data[dIn + d] ** 2;
      b += steered.data[d] ** 2;
    }
    expect(q.cosine).toBeCloseTo(dot / Math.sqrt(a * b), 5);
    const table = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--edit', '7=+1typ', '--rows', '1,2,3']);
    expect(table.stdout).toMatch(/\| 7 \| {2}\| {2}\| \+1typ \|/);
    expect(table.stdout).toMatch(/neighbours before \| neighbours after \| kept/);
  });

  it('a concept maps to named + decoder-aligned latents (--vocab); its ablation reports the residue', async () => {
    const model = createSaeModel(ckpt);
    const rows = (i: number) => Array.from(ckpt.params.W_dec.subarray(i * dIn, (i + 1) * dIn));
    const vocab = { data: Float32Array.from([...rows(5).map((v, d) => v + rows(11)[d]), ...rows(20), ...rows(0), ...rows(30)]), rows: 4, cols: dIn };
    const vocabFile = join(dir, 'vocab.npy');
    await writeEmbeddings(vocabFile, vocab);
    const labelsFile = join(dir, 'vocab.json');
    const labels = ['tent', 'lake', 'car', 'tree'];
    await writeFile(labelsFile, JSON.stringify(labels));
    const expected = conceptLatentSet({ decoder: { data: ckpt.params.W_dec, rows: dSae, cols: dIn }, direction: conceptDirection({ labels, embeddings: vocab }, 'tent'), concept: 'tent', naming: JSON.parse(await readFile(namesFile, 'utf8')), threshold: 0.2 });
    expect(expected.carriers.filter((c) => !c.named).length).toBeGreaterThan(0);
    const r = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--names', namesFile, '--vocab', vocabFile, '--vocab-labels', labelsFile, '--edit', 'tent=0', '--json']);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.edits.map((e: { latent: number }) => e.latent)).toEqual(expected.carriers.map((c) => c.latent));
    expect(s.edits[0].carries).toBe(expected.carriers[0].named ? 'named' : `aligned ${expected.carriers[0].alignment.toFixed(2)}`);
    const ablated = await steer(model, x, resolveEdits(expected.carriers.map((c) => ({ target: c.latent, op: 'set' as const, value: 0 })), dSae), { k: ckpt.config.k });
    expect(s.residue.rows).toBe(Array.from(ablated.shift).filter((v) => v > 0).length);
    expect(s.residue.verdict).toMatch(/"tent" (SURVIVES|removed|was not above its baseline)/);
    expect(s.queries[0].conceptBefore).not.toBeNull();
    expect(model.dSae).toBe(dSae);
  });

  it('a concept not in the naming result: one line, exit 1, nothing written', async () => {
    const out = join(dir, 'never.npy');
    const r = await runCli(['steer', '--checkpoint', ckptDir, '--data', dataFile, '--names', namesFile, '--edit', 'zebra=0', '--out', out]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/concept "zebra" is not in the naming result/);
    expect((await readdir(dir)).includes('never.npy')).toBe(false);
  });
});

describe('msae-eval search', () => {
  it('exact search of collection rows equals @msae/analysis exactSearch; concept queries rank by activation', async () => {
    const r = await runCli(['search', '--checkpoint', ckptDir, '--index', dataFile, '--names', namesFile, '--query', 'row:4', '--query', 'concept:tent', '--k', '5', '--dedupe', '0', '--json']);
    expect(r.code).toBe(0);
    const out = lastJson(r.stdout);
    const q = { data: x.data.slice(4 * dIn, 5 * dIn), rows: 1, cols: dIn };
    const hits = await exactSearch(q, x, { k: 5 });
    expect(out.queries[0].hits.map((h: { row: number }) => h.row)).toEqual(Array.from(hits.rows));
    expect(out.queries[0].hits[0].row).toBe(4);
    expect(out.queries[1].kind).toBe('concept');
    expect(out.queries[1].hits).toHaveLength(5);
  });

  it('dedupe (default): a row query leaves out its own row and a planted duplicate; code mode equals codeSearch', async () => {
    const withDup = { data: new Float32Array((x.rows + 1) * dIn), rows: x.rows + 1, cols: dIn };
    withDup.data.set(x.data);
    withDup.data.set(x.data.subarray(7 * dIn, 8 * dIn), x.rows * dIn); // row 80 = row 7
    const file = join(dir, 'dup.npy');
    await writeEmbeddings(file, withDup);
    const exact = await exactSearch({ data: x.data.slice(7 * dIn, 8 * dIn), rows: 1, cols: dIn }, withDup, { k: 6 });
    const r = await runCli(['search', '--index', file, '--query', 'row:7', '--k', '4', '--json']);
    expect(r.code).toBe(0);
    const q = lastJson(r.stdout).queries[0];
    expect(Array.from(exact.rows).slice(0, 2).sort()).toEqual([7, 80]);
    expect(q.hits.map((h: { row: number }) => h.row)).toEqual(Array.from(exact.rows).slice(2, 6));
    expect(q.duplicatesDropped).toBe(1);
    const c = await runCli(['search', '--checkpoint', ckptDir, '--index', dataFile, '--query', 'row:4', '--mode', 'code', '--k', '5', '--dedupe', '0', '--json']);
    expect(c.code).toBe(0);
    const model = createSaeModel(ckpt);
    const codes = await encodeRows(model, x, { k: ckpt.config.k });
    const expected = codeSearch(codeIndex(codes), await encodeRows(model, { data: x.data.slice(4 * dIn, 5 * dIn), rows: 1, cols: dIn }, { k: ckpt.config.k }), { k: 5 });
    const got = lastJson(c.stdout).queries[0];
    expect(got.mode).toBe('code');
    expect(got.hits.map((h: { row: number }) => h.row)).toEqual(Array.from(expected.rows));
    expect(got.hits[0].score).toBeCloseTo(1, 5);
    const bad = await runCli(['search', '--index', dataFile, '--query', 'row:4', '--mode', 'code']);
    expect(bad.code).not.toBe(0);
    expect(oneLine(bad.stderr)).toBe(true);
  });

  it('text queries go through the CLIP text model (tiny CLIP fixture): a text finds its own embedding', async () => {
    const { writeTinyClipFixture } = await import('@msae/clip/testing');
    const { embedTexts } = await import('@msae/clip');
    const model = await writeTinyClipFixture(join(dir, 'tiny-clip'));
    const words = ['dog', 'cat', 'red car', 'blue sky', 'green tree'];
    const emb = (await embedTexts(words, { model })).embeddings;
    const coll = join(dir, 'words.npy');
    await writeEmbeddings(coll, emb);
    const r = await runCli(['search', '--index', coll, '--query', 'text:red car', '--query', 'blue sky', '--k', '2', '--text-model', model, '--json']);
    expect(r.code).toBe(0);
    const out = lastJson(r.stdout);
    expect(out.queries.map((q: { hits: { row: number }[] }) => q.hits[0].row)).toEqual([2, 3]);
    expect(out.queries[0].hits[0].score).toBeCloseTo(1, 5);
  });

  it('LanceDB index: search-index then search gives the exact answer (flat index)', async () => {
    const index = join(dir, 'index');
    const labels = join(dir, 'labels.json');
    await writeFile(labels, JSON.stringify({ val: Array.from({ length: 80 }, (_, i) => (i % 2 ? 'b' : 'a')) }));
    const b = await runCli(['search-index', '--data', dataFile, '--out', index, '--checkpoint', ckptDir, '--labels', labels, '--labels-key', 'val', '--json']);
    expect(b.code).toBe(0);
    expect(lastJson(b.stdout)).toMatchObject({ rows: 80, dim: dIn, ann: false });
    const r = await runCli(['search', '--index', index, '--query', 'row:4', '--k', '5', '--label', 'b', '--json']);
    expect(r.code).toBe(0);
    const q = { data: x.data.slice(4 * dIn, 5 * dIn), rows: 1, cols: dIn };
    const exact = await exactSearch(q, x, { k: 5, allow: (row) => row % 2 === 1 });
    const hits = lastJson(r.stdout).queries[0].hits;
    expect(hits.map((h: { row: number }) => h.row)).toEqual(Array.from(exact.rows));
    expect(hits.every((h: { label: string }) => h.label === 'b')).toBe(true);
  });

  it('LanceDB ANN index: --index-type ivf-flat probing every partition (--nprobes) gives the exact answer; a bad type is one line', async () => {
    const index = join(dir, 'index-ivf');
    const b = await runCli(['search-index', '--data', dataFile, '--out', index, '--ann-min-rows', '1', '--index-type', 'ivf-flat', '--partitions', '4', '--json']);
    expect(b.code).toBe(0);
    expect(lastJson(b.stdout)).toMatchObject({ rows: 80, ann: true, indexType: 'ivf-flat' });
    const r = await runCli(['search', '--index', index, '--query', 'row:7', '--k', '5', '--nprobes', '4', '--json']);
    expect(r.code).toBe(0);
    const exact = await exactSearch({ data: x.data.slice(7 * dIn, 8 * dIn), rows: 1, cols: dIn }, x, { k: 5 });
    expect(lastJson(r.stdout).queries[0].hits.map((h: { row: number }) => h.row)).toEqual(Array.from(exact.rows));
    const bad = await runCli(['search-index', '--data', dataFile, '--out', join(dir, 'index-bad'), '--index-type', 'lsh']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--index-type');
    await expect(readdir(join(dir, 'index-bad'))).rejects.toThrow();
  });
});

describe('msae-eval bias', () => {
  const planted = plantedBias({ rows: 1200, seed: 5 });
  let bdir: string;
  let bckpt: string;
  let bdata: string;
  let attrs: string;
  let clf: string;

  beforeAll(async () => {
    bdir = join(dir, 'bias');
    bckpt = join(bdir, 'sae');
    const config = resolveConfig({ dIn: 32, dSae: 32, architecture: 'topk', k: 32 });
    await writeCheckpointDir(bckpt, { config, params: planted.checkpoint.params, normalization: planted.checkpoint.normalization });
    bdata = join(bdir, 'x.npy');
    await writeEmbeddings(bdata, planted.x);
    attrs = join(bdir, 'list_attr.txt');
    const rows = Array.from({ length: planted.x.rows }, (_, r) => `${String(r + 1).padStart(6, '0')}.jpg ${planted.target[r] ? 1 : -1} ${planted.group[r] ? 1 : -1}`);
    await writeFile(attrs, `${planted.x.rows}\nSmiling Male\n${rows.join('\n')}\n`);
    clf = join(bdir, 'clf.json');
    const w = planted.classifier.weights;
    await writeFile(clf, JSON.stringify({ kind: 'linear', weights: [0, 1].map((r) => Array.from(w.data.subarray(r * 32, (r + 1) * 32))), bias: Array.from(planted.classifier.bias!), classes: ['no', 'yes'] }));
  });

  it('planted: the spurious latent ranks first, removing it closes the gap; table, JSON and plot written', async () => {
    const out = join(bdir, 'report');
    const r = await runCli(['bias', '--checkpoint', bckpt, '--data', bdata, '--attributes', attrs, '--target', 'Smiling', '--group', 'Male', '--classifier', clf, '--target-class', 'yes', '--remove', '1', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout);
    expect(report.result.byCausalEffect[0].latent).toBe(planted.spuriousLatent);
    expect(report.result.byGroupGap[0].latent).toBe(planted.spuriousLatent);
    expect(report.result.removed).toEqual([planted.spuriousLatent]);
    expect(report.result.before.parityDifference.estimate).toBeGreaterThan(0.2);
    // after removing it the classifier reads the true latent only: its positives are the targets, so the gap left is the data's
    const rate = (g: number) => planted.target.filter((_, r) => planted.group[r] === g).reduce((a, b) => a + b, 0) / planted.group.filter((v) => v === g).length;
    expect(report.result.after.accuracy.estimate).toBe(1);
    expect(report.result.after.parityDifference.estimate).toBeCloseTo(rate(1) - rate(0), 10);
    expect(report.result.verdict.kind).toBe('bias reduced');
    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(['bias.json', 'bias.md', 'bias.svg']));
    expect(await readFile(join(out, 'bias.svg'), 'utf8')).toMatch(/<svg/);
    const md = await readFile(join(out, 'bias.md'), 'utf8');
    expect(md).toMatch(/## Verdict: bias reduced/);
    expect(md).toMatch(/\| 1 \| 3 \|/);
    expect(md).toMatch(/TPR \| FPR \| precision/);
  });

  it('no --target with --classifier: the classifier\'s decisions are studied, no error rates; a planted target concept gives "target removed"', async () => {
    const tp = plantedBias({ rows: 1000, seed: 6, kind: 'target' });
    const tdir = join(bdir, 'target');
    const tckpt = join(tdir, 'sae');
    const config = resolveConfig({ dIn: 32, dSae: 32, architecture: 'topk', k: 32 });
    await writeCheckpointDir(tckpt, { config, params: tp.checkpoint.params, normalization: tp.checkpoint.normalization });
    const tdata = join(tdir, 'x.npy');
    await writeEmbeddings(tdata, tp.x);
    const groups = join(tdir, 'sources.json');
    await writeFile(groups, JSON.stringify({ train: Array.from(tp.group, (g) => (g ? 'ketaki' : 'other')) }));
    const tclf = join(tdir, 'clf.json');
    const w = tp.classifier.weights;
    await writeFile(tclf, JSON.stringify({ kind: 'linear', weights: [0, 1].map((r) => Array.from(w.data.subarray(r * 32, (r + 1) * 32))), bias: Array.from(tp.classifier.bias!), classes: ['no', 'ski'] }));
    const out = join(tdir, 'report');
    const r = await runCli(['bias', '--checkpoint', tckpt, '--data', tdata, '--attributes', groups, '--attributes-key', 'train', '--group', 'label=ketaki', '--classifier', tclf, '--target-class', 'ski', '--remove', '1', '--resamples', '200', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout);
    expect(report.target).toBeNull();
    expect(report.result.hasTruth).toBe(false);
    expect(report.result.before.group1.tpr).toBeUndefined();
    expect(report.result.removed).toEqual([tp.trueLatent]);
    expect(report.result.verdict.kind).toBe('target removed');
    const md = await readFile(join(out, 'bias.md'), 'utf8');
    expect(md).toMatch(/TARGET REMOVED, not bias: positives fell in every group/);
    expect(md).not.toMatch(/TPR \| FPR/);
  });

  it('reads a generated file in CelebA\'s list_attr_celeba.txt layout as it is (40 attributes, padded columns, trailing spaces)', async () => {
    const names = ['5_o_Clock_Shadow', 'Arched_Eyebrows', 'Attractive', 'Bags_Under_Eyes', 'Bald', 'Bangs', 'Big_Lips', 'Big_Nose', 'Black_Hair', 'Blond_Hair', 'Blurry', 'Brown_Hair', 'Bushy_Eyebrows', 'Chubby', 'Double_Chin', 'Eyeglasses', 'Goatee', 'Gray_Hair', 'Heavy_Makeup', 'High_Cheekbones', 'Male', 'Mouth_Slightly_Open', 'Mustache', 'Narrow_Eyes', 'No_Beard', 'Oval_Face', 'Pale_Skin', 'Pointy_Nose', 'Receding_Hairline', 'Rosy_Cheeks', 'Sideburns', 'Smiling', 'Straight_Hair', 'Wavy_Hair', 'Wearing_Earrings', 'Wearing_Hat', 'Wearing_Lipstick', 'Wearing_Necklace', 'Wearing_Necktie', 'Young'];
    const cell = (v: boolean) => (v ? ' 1' : '-1');
    const lines = Array.from({ length: planted.x.rows }, (_, r) => {
      const vals = names.map((n, c) => cell(n === 'Smiling' ? planted.target[r] === 1 : n === 'Male' ? planted.group[r] === 1 : (r + c) % 3 === 0));
      return `${String(r + 1).padStart(6, '0')}.jpg ${vals.join(' ')}`;
    });
    const file = join(bdir, 'list_attr_celeba.txt');
    await writeFile(file, `${planted.x.rows}\n${names.join(' ')} \n${lines.join('\n')}\n`);
    const r = await runCli(['bias', '--checkpoint', bckpt, '--data', bdata, '--attributes', file, '--target', 'Smiling', '--group', 'Male', '--classifier', clf, '--target-class', 'yes', '--remove', '1', '--resamples', '100', '--top', '3', '--json']);
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout);
    expect(report.result.rows1).toBe(planted.group.reduce((a, b) => a + b, 0));
    expect(report.result.before.group1.n + report.result.before.group0.n).toBe(planted.x.rows);
    expect(report.result.verdict.kind).toBe('bias reduced');
  });

  it('with a trained probe (no --classifier): accuracy reported and probe.json written', async () => {
    const out = join(bdir, 'probe-report');
    const r = await runCli(['bias', '--checkpoint', bckpt, '--data', bdata, '--attributes', attrs, '--target', 'Smiling', '--group', 'Male', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout);
    expect(report.probe.heldOutAccuracy).toBeGreaterThan(0.9);
    expect(report.probe.heldOutRows).toBe(240);
    const probe = JSON.parse(await readFile(join(out, 'probe.json'), 'utf8'));
    expect(probe.kind).toBe('linear');
    expect(probe.weights[1]).toHaveLength(32);
  });

  it.each([
    ['row count', (a: string) => a.replace(/^1200/, '1199').replace(/\n000001\.jpg[^\n]*/, ''), /1199 rows, but .* has 1200 embeddings/, []],
    ['header names', (a: string) => a.replace('Smiling Male', 'Smiling'), /row 1 has 3 fields, expected 2/, []],
    ['unknown attribute', (a: string) => a, /unknown attribute "Attractive"/, ['--target', 'Attractive']],
    ['classifier width', (a: string) => a, /width 8, but the embeddings have 32/, ['--classifier', 'WRONG', '--target-class', '0']],
  ] as const)('bad input (%s): one line, non-zero exit, nothing written', async (_what, edit, message, extra) => {
    const file = join(bdir, 'bad-attr.txt');
    await writeFile(file, edit(await readFile(attrs, 'utf8')));
    const wrong = join(bdir, 'wrong.npy');
    await writeEmbeddings(wrong, makeData(3, 8, 1));
    const out = join(bdir, 'never');
    const args = ['bias', '--checkpoint', bckpt, '--data', bdata, '--attributes', file, '--target', 'Smiling', '--group', 'Male', '--out', out];
    for (let i = 0; i < extra.length; i += 2) {
      const at = args.indexOf(extra[i]);
      const value = extra[i + 1] === 'WRONG' ? wrong : extra[i + 1];
      if (at >= 0) args[at + 1] = value;
      else args.push(extra[i], value);
    }
    const r = await runCli(args);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(message);
    expect((await readdir(bdir)).includes('never')).toBe(false);
  });
});

describe('msae-eval --classifier', () => {
  it('agreement and KL per k equal a reference-engine computation; accuracy with labels', async () => {
    const head = makeData(5, dIn, 9);
    const headFile = join(dir, 'head.npy');
    await writeEmbeddings(headFile, head);
    const labelsFile = join(dir, 'classes.json');
    const labels = Array.from({ length: 80 }, (_, i) => i % 5);
    await writeFile(labelsFile, JSON.stringify(labels));
    const r = await runCli(['--checkpoint', ckptDir, '--data', dataFile, '--k', '2,8,all', '--classifier', headFile, '--classifier-labels', labelsFile, '--cknna-rows', '0', '--backend', 'reference', '--json']);
    expect(r.code).toBe(0);
    const results = lastJson(r.stdout).results;
    const engine = createReferenceEngine();
    await engine.load({ config: ckpt.config, params: ckpt.params });
    const classifier = zeroShotHead(head);
    const logitsX = await classifierLogits(classifier, x);
    for (const [i, k] of [2, 8, undefined].entries()) {
      const codes = await engine.encode(normalize(x.data, ckpt.normalization), x.rows, k);
      const recon = denormalize(await engine.decode(codes, x.rows), ckpt.normalization);
      const acc = new DownstreamAccumulator(5);
      acc.add(logitsX, await classifierLogits(classifier, { data: recon, rows: x.rows, cols: dIn }), labels);
      const expected = acc.result();
      expect(results[i].agreement).toBeCloseTo(expected.agreement, 10);
      expect(results[i].kl).toBeCloseTo(expected.kl, 5);
      expect(results[i].accuracyReconstructed).toBeCloseTo(expected.accuracyReconstructed!, 10);
    }
  });

  it('a classifier of the wrong width: one line, exit 1, no report', async () => {
    const headFile = join(dir, 'head-wrong.npy');
    await writeEmbeddings(headFile, makeData(5, dIn + 1, 9));
    const out = join(dir, 'report-never');
    const r = await runCli(['--checkpoint', ckptDir, '--data', dataFile, '--classifier', headFile, '--out', out]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/width 9, but the embeddings have 8 dimensions/);
    expect((await readdir(dir)).includes('report-never')).toBe(false);
  });
});
