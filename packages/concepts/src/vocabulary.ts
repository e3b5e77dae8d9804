import type { Matrix } from '@msae/core';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VocabularyEmbeddings } from './name-latents.js';

import { VocabularyError } from './errors.js';

export { VocabularyError } from './errors.js';

/** Embeds concept texts with a prompt template; returns one (unit) row per text. */
export type TextEmbedder = (
  texts: string[],
  options: { model: string; template: string | string[]; batchSize?: number; onProgress?: (done: number, total: number) => void },
) => Promise<Matrix>;

/** CLIP's zero-shot prompt, the default template for .txt vocabularies. */
export const DEFAULT_TEMPLATE = 'a photo of a {}.';
/** The default text model (matches the clip-vit-b32 data). */
export const DEFAULT_TEXT_MODEL = 'Xenova/clip-vit-base-patch32';

export interface LoadVocabularyOptions {
  /** Labels for a .npy/.safetensors vocabulary: .txt (one per line) or .json (array of strings). */
  labels?: string;
  /** Text model for a .txt vocabulary (Hugging Face id or local folder; default Xenova/clip-vit-base-patch32). */
  model?: string;
  /** Prompt template(s) with `{}` for the concept (several are averaged); default "a photo of a {}.". */
  template?: string | string[];
  batchSize?: number;
  /** Text embedder (default: @msae/clip's embedTexts, L2-normalized). */
  embed?: TextEmbedder;
  /** Read/write the embedding cache (default true). */
  cache?: boolean;
  /**
   * Where the cache goes: default next to the vocabulary; when that directory is not writable or is
   * marked read-only (no write bit), $MSAE_CACHE_DIR or ~/.cache/msae/vocab.
   */
  cacheDir?: string;
  onProgress?: (done: number, total: number) => void;
  /** Messages for the user (cache hits/misses), e.g. to stderr. */
  onLog?: (message: string) => void;
}

export interface Vocabulary extends VocabularyEmbeddings {
  /** The vocabulary file. */
  file: string;
  /** Text model and template(s) used to embed a .txt vocabulary. */
  model?: string;
  template?: string | string[];
  /** The cache file read or written (.txt vocabularies). */
  cacheFile?: string;
  /** True when the embeddings came from the cache. */
  fromCache?: boolean;
}

/** The English vocabulary shipped with the package (see scripts/build-default-vocabulary.mjs). */
export function defaultVocabularyPath(): string {
  return fileURLToPath(new URL('../vocab/english-20k.txt', import.meta.url));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new VocabularyError(file, 'no such file');
    if (code === 'EISDIR') throw new VocabularyError(file, 'is a directory, expected a file');
    throw new VocabularyError(file, `cannot read (${code ?? String(err)})`);
  }
}

/** Concepts of a one-per-line text: trimmed, empty lines dropped, repeats kept once (first wins). */
export function parseConceptLines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}

/** Labels from a .json array of strings or a one-per-line .txt (order and repeats kept: rows align with embeddings). */
export async function readLabels(file: string): Promise<string[]> {
  const text = await readText(file);
  if (extname(file).toLowerCase() === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new VocabularyError(file, `invalid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== 'string')) {
      throw new VocabularyError(file, 'expected a JSON array of strings');
    }
    return parsed as string[];
  }
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l) => l.trim());
}

/**
 * The default embedder: @msae/clip's embedClassNames (CLIP zero-shot style: each concept's prompts are
 * embedded, L2-normalized, averaged over templates and normalized again), loaded lazily because it
 * pulls in transformers.js.
 */
export const clipTextEmbedder: TextEmbedder = async (texts, options) => {
  const { embedClassNames } = await import('@msae/clip').catch((err: unknown) => {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new VocabularyError(
      '@msae/concepts',
      `embedding a text vocabulary needs the optional peer @msae/clip (npm install @msae/clip @huggingface/transformers): ${why}`,
    );
  });
  const templates = Array.isArray(options.template) ? options.template : [options.template];
  const result = await embedClassNames(texts, {
    model: options.model,
    templates,
    batchSize: options.batchSize,
    onProgress: options.onProgress ? (p) => options.onProgress!(p.done, p.total) : undefined,
  });
  return result.embeddings;
};

/** Cache file for a text vocabulary embedded with (model, template): keyed by a hash of both and of the text. */
export function vocabularyCachePath(vocabFile: string, model: string, template: string | string[], text: string, dir?: string): string {
  const templates = Array.isArray(template) ? template : [template];
  // key = sha256(model \n templates... \n\n vocabulary text)
  const hash = createHash('sha256').update(`${model}\n${templates.join('\n')}\n\n${text}`).digest('hex').slice(0, 16);
  const slug = model.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(-60);
  return join(dir ?? dirname(vocabFile), `${basename(vocabFile)}.${slug}.${hash}.npy`);
}

function fallbackCacheDir(): string {
  return process.env.MSAE_CACHE_DIR ?? join(homedir(), '.cache', 'msae', 'vocab');
}

/**
 * Whether a directory is meant to be written: it has a write bit and the process may write it. Root
 * passes `access` everywhere, so a folder marked read-only (r-x, like shared data) is honoured by its bits.
 */
async function markedWritable(dir: string): Promise<boolean> {
  try {
    const st = await stat(dir);
    if ((st.mode & 0o222) === 0) return false;
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function loadEmbeddingFile(file: string): Promise<Matrix> {
  const { readEmbeddings } = await import('@msae/io');
  const m = await readEmbeddings(file);
  return { data: m.data, rows: m.rows, cols: m.cols };
}

async function writeCache(file: string, m: Matrix, meta: Record<string, unknown>): Promise<void> {
  const { writeEmbeddings, writeFileAtomic } = await import('@msae/io');
  await mkdir(dirname(file), { recursive: true });
  await writeEmbeddings(file, m);
  await writeFileAtomic(`${file}.json`, [new TextEncoder().encode(`${JSON.stringify(meta, null, 2)}\n`)]);
}

/**
 * Load a vocabulary: a .txt of concepts (embedded with the text model and template, cached next to
 * the file) or precomputed embeddings (.npy/.safetensors) with `labels`.
 */
export async function loadVocabulary(file: string, options: LoadVocabularyOptions = {}): Promise<Vocabulary> {
  const ext = extname(file).toLowerCase();
  if (ext === '.npy' || ext === '.safetensors') {
    if (!options.labels) throw new VocabularyError(file, 'precomputed embeddings need a labels file (--labels FILE.txt|.json)');
    const [embeddings, labels] = await Promise.all([loadEmbeddingFile(file), readLabels(options.labels)]);
    if (labels.length !== embeddings.rows) {
      throw new VocabularyError(options.labels, `has ${labels.length} labels but ${file} has ${embeddings.rows} rows`);
    }
    return { file, labels, embeddings };
  }
  if (ext !== '.txt') throw new VocabularyError(file, `unknown vocabulary type "${ext || '(none)'}" (expected .txt, .npy or .safetensors)`);
  const text = await readText(file);
  const labels = parseConceptLines(text);
  if (labels.length === 0) throw new VocabularyError(file, 'holds no concepts');
  const model = options.model ?? DEFAULT_TEXT_MODEL;
  const template = options.template ?? DEFAULT_TEMPLATE;
  const templates = Array.isArray(template) ? template : [template];
  if (templates.length === 0 || templates.some((t) => !t.includes('{}'))) {
    throw new VocabularyError(file, `prompt template must contain {} (got ${JSON.stringify(template)})`);
  }
  const useCache = options.cache ?? true;
  const log = options.onLog ?? (() => undefined);
  const beside = vocabularyCachePath(file, model, template, text);
  const elsewhere = vocabularyCachePath(file, model, template, text, fallbackCacheDir());
  const candidates = options.cacheDir
    ? [vocabularyCachePath(file, model, template, text, options.cacheDir)]
    : (await markedWritable(dirname(file)))
      ? [beside, elsewhere]
      : [elsewhere];
  if (useCache) {
    for (const cacheFile of candidates) {
      if (!(await exists(cacheFile))) continue;
      const embeddings = await loadEmbeddingFile(cacheFile);
      if (embeddings.rows === labels.length) {
        log(`vocabulary: ${labels.length} embeddings from cache ${cacheFile}`);
        return { file, labels, embeddings, model, template, cacheFile, fromCache: true };
      }
      log(`vocabulary: ignoring cache ${cacheFile} (${embeddings.rows} rows for ${labels.length} concepts)`);
    }
  }
  log(`vocabulary: embedding ${labels.length} concepts with ${model}`);
  const embed = options.embed ?? clipTextEmbedder;
  const embeddings = await embed(labels, { model, template, batchSize: options.batchSize, onProgress: options.onProgress });
  if (embeddings.rows !== labels.length) {
    throw new VocabularyError(file, `text embedder returned ${embeddings.rows} rows for ${labels.length} concepts`);
  }
  let cacheFile: string | undefined;
  if (useCache) {
    const meta = { vocabulary: basename(file), model, template, count: labels.length, dim: embeddings.cols };
    for (const candidate of candidates) {
      try {
        await writeCache(candidate, embeddings, meta);
        cacheFile = candidate;
        log(`vocabulary: cached embeddings in ${candidate}`);
        break;
      } catch (err) {
        log(`vocabulary: cannot cache in ${candidate} (${(err as Error).message})`);
      }
    }
  }
  return { file, labels, embeddings, model, template, cacheFile, fromCache: false };
}
