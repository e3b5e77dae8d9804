/**
 * Inputs shared by the analysis commands (steer, search, bias, --classifier): checkpoint -> SaeModel through
 * the engines' matmul provider, naming results, classifier files, per-row labels, embedding files. Every
 * failure becomes a one-line CliError naming the file or option.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Matrix } from '@msae/core';
import type { LinearClassifier, SaeModel } from '@msae/analysis';
import type { NamedLatents } from '@msae/concepts';
import { CliError, UsageError, oneLineMessage } from '../cli-error.js';
import { openCheckpoint } from '../checkpoint-source.js';

/** The matmul provider the CLI passes to @msae/analysis (native gemm when it loads). */
export async function cliMatmul(log: (m: string) => void) {
  const { createMatmulProvider } = await import('@msae/engines');
  return createMatmulProvider('auto', { onFallback: (m) => log(`note: ${m}`) });
}

/** A checkpoint directory as an SaeModel (plain-TS encode/decode, no engine). */
export async function loadModel(dir: string, log: (m: string) => void): Promise<{ model: SaeModel; name: string; k: number }> {
  const { createSaeModel } = await import('@msae/analysis');
  const loaded = await openCheckpoint(dir);
  const model = createSaeModel(loaded.checkpoint, { matmul: await cliMatmul(log) });
  return { model, name: loaded.name, k: loaded.checkpoint.config.k };
}

/** Embeddings of a file, with the file named in any error. */
export async function readMatrix(path: string, option: string): Promise<Matrix> {
  const { readEmbeddings } = await import('@msae/io');
  try {
    return await readEmbeddings(path);
  } catch (error) {
    const m = oneLineMessage(error);
    throw new CliError(m.includes(path) ? m : `${option} ${path}: ${m}`);
  }
}

/** Check that embeddings fit the SAE. */
export function checkModelWidth(model: SaeModel, x: Matrix, path: string): void {
  if (x.cols !== model.dIn) throw new CliError(`${path}: rows have ${x.cols} dimensions but the checkpoint has d_in = ${model.dIn}`);
}

async function readJson(path: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`${option} ${path}: cannot read (${(error as { code?: string }).code ?? oneLineMessage(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${option} ${path}: not valid JSON (${oneLineMessage(error)})`);
  }
}

/** A naming result: names.json of `msae-eval name --out DIR` (the file, or its directory). */
export async function readNaming(path: string): Promise<NamedLatents> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'names.json');
  } catch {
    throw new CliError(`--names ${path}: not found (give names.json or the --out directory of msae-eval name)`);
  }
  const json = (await readJson(file, '--names')) as { latents?: unknown };
  if (!json || !Array.isArray(json.latents)) throw new CliError(`--names ${file}: not a naming result (no "latents" array; write one with msae-eval name --out DIR)`);
  return json as NamedLatents;
}

/** Labels per row: a JSON array, or an object whose `key` holds one (e.g. images_sources.json's "val"). */
export async function readLabels(path: string, key: string | undefined, option: string): Promise<string[]> {
  const json = await readJson(path, option);
  const value = Array.isArray(json) ? json : key !== undefined && json && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(value)) {
    const keys = json && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json).join(', ') : '';
    throw new CliError(`${option} ${path}: expected a JSON array${key ? ` under "${key}"` : ''}${keys ? ` (keys: ${keys}; choose one with ${option}-key)` : ''}`);
  }
  return value.map((v) => String(v));
}

/**
 * A classifier file. `.npy`/`.safetensors` [classes, d]: a zero-shot head (logits 100 cos(x, w_c)).
 * `.json`: {"kind": "linear"|"cosine", "weights": [[...], ...], "bias"?: [...], "classes"?: [...], "scale"?}
 * (a probe written by msae-eval bias is one). Class names from `classesPath` (JSON array) when given.
 */
export async function readClassifier(path: string, classesPath?: string): Promise<LinearClassifier> {
  let classifier: LinearClassifier;
  if (path.endsWith('.json')) {
    const json = (await readJson(path, '--classifier')) as { kind?: string; weights?: unknown; bias?: unknown; classes?: unknown; scale?: unknown };
    const rows = json?.weights;
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === (rows[0] as unknown[]).length)) {
      throw new CliError(`--classifier ${path}: "weights" must be a non-empty array of equal-length rows`);
    }
    if (json.kind !== 'linear' && json.kind !== 'cosine') throw new CliError(`--classifier ${path}: "kind" must be "linear" or "cosine"`);
    const cols = (rows[0] as unknown[]).length;
    const data = Float32Array.from((rows as number[][]).flat());
    if (data.some((v) => !Number.isFinite(v))) throw new CliError(`--classifier ${path}: weights must be finite numbers`);
    const bias = Array.isArray(json.bias) ? Float32Array.from(json.bias as number[]) : undefined;
    if (bias && bias.length !== rows.length) throw new CliError(`--classifier ${path}: ${bias.length} biases for ${rows.length} classes`);
    classifier = {
      kind: json.kind,
      weights: { data, rows: rows.length, cols },
      bias,
      scale: typeof json.scale === 'number' ? json.scale : undefined,
      classes: Array.isArray(json.classes) ? json.classes.map(String) : undefined,
    };
  } else {
    const { zeroShotHead } = await import('@msae/analysis');
    classifier = zeroShotHead(await readMatrix(path, '--classifier'));
  }
  if (classesPath) {
    const classes = await readLabels(classesPath, undefined, '--classes');
    if (classes.length !== classifier.weights.rows) throw new CliError(`--classes ${classesPath}: ${classes.length} names for a classifier of ${classifier.weights.rows} classes`);
    classifier.classes = classes;
  }
  return classifier;
}

/** Check a classifier's width against the embeddings'. */
export function checkClassifier(classifier: LinearClassifier, dim: number, path: string): void {
  if (classifier.weights.cols !== dim) throw new CliError(`--classifier ${path}: width ${classifier.weights.cols}, but the embeddings have ${dim} dimensions`);
}

/** A class given by name (exact, then case-insensitive) or index. */
export function classIndex(classifier: LinearClassifier, spec: string, option: string): number {
  if (/^\d+$/.test(spec)) {
    const i = Number(spec);
    if (i >= classifier.weights.rows) throw new CliError(`${option} ${spec}: the classifier has classes 0..${classifier.weights.rows - 1}`);
    return i;
  }
  const names = classifier.classes;
  if (!names) throw new CliError(`${option} "${spec}": the classifier has no class names (give --classes FILE or an index)`);
  let i = names.indexOf(spec);
  if (i < 0) i = names.findIndex((n) => n.toLowerCase() === spec.toLowerCase());
  if (i < 0) throw new CliError(`${option} "${spec}": not a class of the classifier`);
  return i;
}

/** "--k N|all": undefined = every positive code. */
export function parseCodeK(text: string): number | undefined {
  if (text === 'all') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new CliError(`--k must be a positive integer or 'all', got '${text}'`, 2);
  return n;
}


/** The latent's name in a naming result, else its best guess marked "guess?" (null without a naming result). */
export function latentName(naming: NamedLatents | undefined, latent: number): string | null {
  if (!naming) return null;
  const l = naming.latents.find((e) => e.index === latent);
  if (!l) return null;
  if (l.name) return l.name;
  const guess = l.candidates[0]?.label;
  return guess ? `${guess}?` : null;
}

/** Concept text embeddings: an embedding file (.npy/.safetensors) and its labels (.json array or .txt, one per line). */
export async function readConceptVocabulary(path: string, labelsPath: string | undefined): Promise<{ labels: string[]; embeddings: Matrix }> {
  if (!labelsPath) throw new UsageError('--vocab needs --vocab-labels FILE (the concept of each row)');
  const embeddings = await readMatrix(path, '--vocab');
  let labels: string[];
  if (labelsPath.endsWith('.json')) labels = await readLabels(labelsPath, undefined, '--vocab-labels');
  else {
    let text: string;
    try {
      text = await readFile(labelsPath, 'utf8');
    } catch (error) {
      throw new CliError(`--vocab-labels ${labelsPath}: cannot read (${(error as { code?: string }).code ?? oneLineMessage(error)})`);
    }
    labels = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  }
  if (labels.length !== embeddings.rows) throw new CliError(`--vocab-labels ${labelsPath}: ${labels.length} labels for ${embeddings.rows} rows of ${path}`);
  return { labels, embeddings };
}

/** "3,17,40" -> row numbers, each checked against the row count. */
export function parseRowList(text: string, rows: number, option: string): number[] {
  const out = text.split(',').map((s) => s.trim());
  if (out.some((s) => !/^\d+$/.test(s))) throw new UsageError(`${option} '${text}': expected row numbers separated by commas`);
  const nums = out.map(Number);
  const bad = nums.find((r) => r >= rows);
  if (bad !== undefined) throw new CliError(`${option} ${bad}: the data has rows 0..${rows - 1}`);
  return nums;
}

/** Rows of a matrix as a new matrix. */
export function pickRows(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data, rows: rows.length, cols: m.cols };
}
