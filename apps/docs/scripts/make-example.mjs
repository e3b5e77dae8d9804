// Regenerate the playground's built-in REAL example (public/example/, committed) from ../shared/data:
//   items.f16.npy   the 1,000 held-out ViT-B/32 image embeddings (images_val_1000_512.npy), float16
//   items.json      per item: "<source> · zero-shot: <ImageNet class>" (argmax cosine to the zero-shot head)
//   cfg.json + sae_weights.safetensors   an msae-rw 512 -> 1024, k 32 checkpoint trained on the 8,601
//                   train embeddings (weights stored as F16; the site reads F16 like F32)
//   names.json      the latents' names from the shipped Detic vocabulary by issue 18's evidence rule: `msae-eval name`
//                   on the fp16 checkpoint (as the site sees it) with --data = the 8,601 train rows (names chosen and
//                   validated on separate halves) and --held-out = the 1,000 items; each latent keeps its evidence record
//   example.json    what it is and how well the fp16 copy reconstructs the items
// Usage (from apps/docs; needs the packages built and ../shared/data):
//   node scripts/make-example.mjs [--checkpoint <dir>]   (default: trains one with the CLI into a temp dir;
//   `--checkpoint public/example` renames the shipped example: its F16 weights read back exactly)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getFloat16, setFloat16 } from '@petamoriken/float16';
import { createReferenceEngine, decodeCheckpoint, denormalize, normalize } from '@msae/core';
import { encodeNpyHeader, readEmbeddings } from '@msae/io';

const here = dirname(fileURLToPath(import.meta.url));
const docs = join(here, '..');
const repo = join(docs, '..', '..');
// MSAE_SHARED_DATA: the shared data folder when the checkout is not next to it (e.g. a git worktree)
const shared = process.env.MSAE_SHARED_DATA ?? join(repo, '..', 'shared', 'data');
const b32 = join(shared, 'clip-vit-b32');
const out = join(docs, 'public', 'example');
const RECIPE = ['--latents', '1024', '--k', '32', '--epochs', '30', '--batch-size', '256', '--lr', '5e-4', '--seed', '42'];
const VOCABULARY = 'clip-vit-b32-detic-1592';

const { values } = parseArgs({ options: { checkpoint: { type: 'string' } } });
let ckDir = values.checkpoint;
if (!ckDir) {
  ckDir = mkdtempSync(join(tmpdir(), 'msae-example-'));
  console.error(`training the example checkpoint into ${ckDir} (msae rw ${RECIPE.join(' ')})`);
  execFileSync('npx', ['--yes', 'pnpm@10.34.8', '--silent', 'train', '--data', join(b32, 'images_train_8601_512.npy'), '--val', join(b32, 'images_val_1000_512.npy'), ...RECIPE, '--out', ckDir], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** float32 values rounded to float16 (round to nearest even), little-endian bytes. */
function f16Bytes(values) {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) setFloat16(view, i * 2, values[i], true);
  return bytes;
}
/** The float32 values a float16 reader sees. */
function viaF16(values) {
  const bytes = f16Bytes(values);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: values.length }, (_, i) => getFloat16(view, i * 2, true));
}

/** safetensors with F16 tensors: u64 header length, JSON header (padded to 8 bytes), data. */
function f16Safetensors(tensors, metadata) {
  const header = { __metadata__: metadata };
  const parts = [];
  let offset = 0;
  for (const [name, { data, shape }] of Object.entries(tensors)) {
    const b = f16Bytes(data);
    header[name] = { dtype: 'F16', shape, data_offsets: [offset, offset + b.length] };
    parts.push(b);
    offset += b.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new Uint8Array(8);
  new DataView(head.buffer).setBigUint64(0, BigInt(json.length), true);
  return Buffer.concat([head, Buffer.from(json), ...parts]);
}

const cfgJson = readFileSync(join(ckDir, 'cfg.json'), 'utf8');
const ck = decodeCheckpoint(cfgJson, new Uint8Array(readFileSync(join(ckDir, 'sae_weights.safetensors'))), ckDir);
const { dIn, dSae } = ck.config;
const p = ck.params;
const params16 = { W_enc: viaF16(p.W_enc), b_enc: viaF16(p.b_enc), W_dec: viaF16(p.W_dec), b_dec: viaF16(p.b_dec) };

// Items and their captions.
const items = await readEmbeddings(join(b32, 'images_val_1000_512.npy'));
const sources = JSON.parse(readFileSync(join(b32, 'images_sources.json'), 'utf8'));
const classes = JSON.parse(readFileSync(join(shared, 'imagenet_classes.json'), 'utf8'));
const head = await readEmbeddings(join(b32, 'imagenet_zeroshot_1000_512.npy'));
const captions = [];
for (let r = 0; r < items.rows; r++) {
  let best = 0;
  let bestCos = -Infinity;
  for (let c = 0; c < head.rows; c++) {
    let s = 0; // cos = <x, w_c> (both unit norm)
    for (let d = 0; d < dIn; d++) s += items.data[r * dIn + d] * head.data[c * dIn + d];
    if (s > bestCos) [best, bestCos] = [c, s];
  }
  const src = sources.val[r];
  captions.push(`${sources.sources[src] ?? src} · zero-shot: ${classes[best]}`);
}

// How well the fp16 copy reconstructs the fp16 items at k (global FVU, as fvuGlobal of @msae/metrics): sum |x - x^|^2 / sum |x - mean|^2.
const items16 = viaF16(items.data);
const engine = createReferenceEngine();
await engine.load({ config: ck.config, params: params16 });
const fvuAt = async (k) => {
  const xn = normalize(items16, ck.normalization);
  const recon = denormalize(await engine.decode(await engine.encode(xn, items.rows, k), items.rows), ck.normalization);
  const mean = new Float64Array(dIn);
  for (let i = 0; i < items16.length; i++) mean[i % dIn] += items16[i] / items.rows;
  let num = 0;
  let den = 0;
  for (let i = 0; i < items16.length; i++) {
    num += (items16[i] - recon[i]) ** 2;
    den += (items16[i] - mean[i % dIn]) ** 2;
  }
  return num / den;
};
const fvuGlobal = {};
for (const k of [32, 128, 1024]) fvuGlobal[k] = Number((await fvuAt(k)).toFixed(4));
await engine.dispose();

mkdirSync(out, { recursive: true });
const cfg = JSON.parse(cfgJson);
cfg.training = { ...(cfg.training ?? {}), example: 'msae playground built-in example (weights stored as F16)' };
writeFileSync(join(out, 'cfg.json'), JSON.stringify(cfg));
writeFileSync(join(out, 'sae_weights.safetensors'), f16Safetensors({ W_enc: { data: p.W_enc, shape: [dIn, dSae] }, b_enc: { data: p.b_enc, shape: [dSae] }, W_dec: { data: p.W_dec, shape: [dSae, dIn] }, b_dec: { data: p.b_dec, shape: [dIn] } }, { format: 'msae' }));
writeFileSync(join(out, 'items.f16.npy'), Buffer.concat([encodeNpyHeader([items.rows, dIn], '<f2'), f16Bytes(items.data)]));
writeFileSync(join(out, 'items.json'), JSON.stringify(captions));

// Names: the evaluator's evidence naming (issue 18), run on the fp16 checkpoint just written.
const namesDir = mkdtempSync(join(tmpdir(), 'msae-example-names-'));
execFileSync(process.execPath, [join(repo, 'apps', 'evaluator', 'dist', 'cli.js'), 'name', '--checkpoint', out, '--shipped', VOCABULARY, '--data', join(b32, 'images_train_8601_512.npy'), '--held-out', join(b32, 'images_val_1000_512.npy'), '--out', namesDir], { stdio: ['ignore', 'ignore', 'inherit'] });
const report = JSON.parse(readFileSync(join(namesDir, 'names.json'), 'utf8'));
const round = (v) => Number(v.toFixed(4));
const CANDIDATES = 5;
const naming = {
  method: 'evidence',
  latents: report.latents.map((l) => ({
    index: l.index,
    name: l.name,
    score: round(l.score),
    margin: round(l.margin),
    z: round(l.z),
    candidates: l.candidates.slice(0, CANDIDATES).map((c) => ({ label: c.label, score: round(c.score), pValue: c.pValue, ...(c.evidenceRank !== undefined ? { evidenceRank: c.evidenceRank } : {}) })),
    ...(l.frequency !== undefined ? { frequency: l.frequency } : {}),
    evidence: l.evidence,
  })),
  named: report.named,
  mapping: report.mapping,
  vocabularySize: report.vocabulary.size,
  centeredVocabulary: true,
  evidenceRule: { ...report.rule, decoderSignificant: report.decoderSignificant, data: { rows: report.data.rows, distinctRows: report.data.distinctRows, file: 'images_train_8601_512.npy' }, heldOut: { ...report.heldOut, file: 'the 1,000 items, images_val_1000_512.npy' } },
};
writeFileSync(join(out, 'names.json'), JSON.stringify(naming));
const manifest = {
  description: 'Real CLIP ViT-B/32 image embeddings (the 1,000 held-out rows of ../shared/data/clip-vit-b32) and an msae checkpoint trained on the other 8,601; stored as float16',
  items: items.rows,
  dIn,
  dSae,
  k: ck.config.k,
  recipe: `msae rw ${RECIPE.join(' ')} on images_train_8601_512.npy`,
  vocabulary: VOCABULARY,
  named: naming.named,
  naming: `issue 18's evidence rule (msae-eval name --data images_train --held-out the items): ${report.named} named, ${report.decoderSignificant} pass the decoder test at FDR ${report.rule.fdr}, ${report.heldOut.holdsUp} of ${report.heldOut.checkable} checkable names hold up on the items`,
  fvuGlobalFp16: fvuGlobal,
  captions: 'source of the image · the ImageNet class whose zero-shot CLIP text embedding is closest',
};
writeFileSync(join(out, 'example.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(JSON.stringify(manifest));
