import { ArgumentError, generateDemoEmbeddings, type Matrix } from '@msae/core';
import { parseEmbeddings } from '@msae/io/browser';
import { holdOut, type PlaygroundDataset } from './session-store.js';

/** The built-in SYNTHETIC demo (planted hierarchical concepts, CLIP-like; not real CLIP outputs). */
export function demoDataset(rows: number, valRows: number, dIn = 512): PlaygroundDataset {
  const train = generateDemoEmbeddings({ rows, dIn, seed: 1 });
  const val = generateDemoEmbeddings({ rows: valRows, dIn, seed: 2 });
  const labels = Array.from(train.coarseLabel, (c, i) => `demo row ${i}: coarse concept ${c}${train.fineLabel[i] >= 0 ? `, fine ${train.fineLabel[i]}` : ''}`);
  return { name: `synthetic demo (${rows} x ${dIn})`, kind: 'demo', x: train.x, val: val.x, labels };
}

/** Labels from a dropped .json (array of strings) or .txt (one per line). */
export async function readLabelFile(file: File): Promise<string[]> {
  const text = await file.text();
  if (file.name.endsWith('.json')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || parsed.some((l) => typeof l !== 'string')) throw new ArgumentError(`${file.name}`, `must be a JSON array of strings`);
    return parsed as string[];
  }
  return text.split(/\r?\n/).filter((l) => l.trim().length > 0);
}

/** Embeddings from a dropped .npy / .safetensors (optionally with a labels file of the same length). */
export async function datasetFromFiles(files: File[]): Promise<PlaygroundDataset> {
  const data = files.find((f) => /\.(npy|safetensors)$/.test(f.name));
  if (!data) throw new ArgumentError('', `drop a .npy or .safetensors of embeddings (got ${files.map((f) => f.name).join(', ') || 'nothing'})`);
  const m = parseEmbeddings(new Uint8Array(await data.arrayBuffer()), data.name);
  const x: Matrix = { data: m.data, rows: m.rows, cols: m.cols };
  const labelFile = files.find((f) => f !== data && /\.(json|txt)$/.test(f.name));
  const labels = labelFile ? await readLabelFile(labelFile) : undefined;
  if (labels && labels.length !== x.rows) throw new ArgumentError(`${labelFile?.name}`, `${labels.length} labels for ${x.rows} rows of ${data.name}`);
  return { name: `${data.name} (${x.rows} x ${x.cols})`, kind: 'file', x, val: holdOut(x).val, labels };
}
