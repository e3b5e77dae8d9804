import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { createProgram, createProgress, describeError, positiveInt, UsageError } from '@msae/cli-kit';
import { embedImages, embedTexts, type EmbeddingResult, type EmbedProgress } from '@msae/clip';
import { checkOutputPath, embeddingFileParts, fileError, IoError, writeFilesAtomic } from '@msae/io';

/** Where the CLI writes: injectable so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Draw a progress bar (stderr is a terminal). */
  progressBar: boolean;
}

/** What the sidecar JSON next to the .npy holds. */
export interface EmbeddingSidecar {
  model: string;
  dimension: number;
  count: number;
  kind: 'images' | 'texts';
  normalized: boolean;
  ids: string[];
  skipped?: Array<{ id: string; error: string }>;
}

/** `out.npy` -> `out.json` (the sidecar path). */
export function sidecarPath(out: string): string {
  return out.replace(/\.(npy|safetensors)$/i, '') + '.json';
}

function program(io: CliIo): Command {
  return createProgram('msae-embed')
    .description('Embed a folder of images or a file of texts (one per line) with a CLIP model; writes FILE.npy + FILE.json')
    .option('--model <id|dir>', 'Hugging Face id (e.g. Xenova/clip-vit-base-patch32) or local model folder (offline)')
    .option('--images <dir>', 'folder of images (png/jpg/webp, recursive, sorted)')
    .option('--texts <file>', 'text file, one text per line (blank lines ignored)')
    .option('--out <file.npy>', 'output .npy (float32 [count, dim]); the sidecar JSON goes next to it')
    .option('--ids <file>', 'also write the ids (relative image paths or texts), one per line')
    .option('--batch-size <n>', 'items per forward pass', positiveInt('--batch-size'), 32)
    .option('--normalize', 'L2-normalize each embedding', false)
    .addOption(new Option('--on-error <mode>', 'corrupt image: fail or skip').choices(['fail', 'skip']).default('fail'))
    .option('--json', 'print a JSON summary as the last stdout line', false)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
    .allowExcessArguments(false);
}

interface Flags {
  model: string;
  images?: string;
  texts?: string;
  out: string;
  ids?: string;
  batchSize: number;
  normalize: boolean;
  onError: 'fail' | 'skip';
  json: boolean;
}

/** Progress of one run: a bar on a terminal, `{"event":"progress"}` lines with --json, nothing otherwise. */
function progressReporter(io: CliIo, label: string, json: boolean): { update: (p: EmbedProgress) => void; stop: () => void } {
  const progress = createProgress({
    mode: json ? 'json' : io.progressBar ? 'bar' : 'none',
    stdout: io.stdout,
    format: '{task} [{bar}] {value}/{total} | {rate} items/s | eta {eta}s',
  });
  const started = Date.now();
  let begun = false;
  return {
    update: (p) => {
      if (!begun) progress.start(label, p.total, { rate: 0 });
      begun = true;
      const rate = p.done / Math.max((Date.now() - started) / 1000, 1e-3);
      progress.update(p.done, { rate: Number(rate.toFixed(1)) });
    },
    stop: () => progress.stop(),
  };
}

async function readTexts(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw code === 'ENOENT' ? new IoError(file, 'no such file') : fileError(file, err, 'cannot read');
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new IoError(file, 'no texts found');
  return lines;
}

/** Run `msae-embed` with argv (without node and script); returns the exit code. */
export async function runEmbedCli(argv: string[], io: CliIo): Promise<number> {
  const cmd = program(io);
  let flags: Flags;
  try {
    cmd.parse(argv, { from: 'user' });
    flags = cmd.opts<Flags>();
    // checked after parsing (not commander's requiredOption), so an unknown option is reported first
    if (flags.model === undefined) throw new UsageError("required option '--model <id|dir>' not specified");
    if (flags.out === undefined) throw new UsageError("required option '--out <file.npy>' not specified");
  } catch (err) {
    return fail(io, err); // usage errors: exit 2 (--help / --version: 0)
  }
  try {
    if ((flags.images === undefined) === (flags.texts === undefined)) {
      throw new UsageError('give exactly one of --images DIR or --texts FILE');
    }
    if (!/\.(npy|safetensors)$/i.test(flags.out)) throw new UsageError(`${flags.out}: --out must end in .npy (or .safetensors)`);
    const batchSize = flags.batchSize;
    // Fail on an unwritable --out / sidecar / --ids before the (possibly long) embedding run, not after it.
    for (const target of [flags.out, sidecarPath(flags.out), ...(flags.ids !== undefined ? [flags.ids] : [])]) {
      await checkOutputPath(target, { kind: 'file' });
    }
    const started = performance.now();
    const kind = flags.images !== undefined ? 'images' : 'texts';
    const progress = progressReporter(io, kind, flags.json);
    let result: EmbeddingResult & { skipped?: Array<{ id: string; error: string }> };
    // Read --texts before loading the model, so a bad file is the only line on stderr.
    const texts = flags.texts !== undefined ? await readTexts(flags.texts) : undefined;
    io.stderr(`msae-embed: loading ${flags.model}\n`);
    try {
      if (flags.images !== undefined) {
        result = await embedImages([flags.images], {
          model: flags.model,
          batchSize,
          normalize: flags.normalize,
          onError: flags.onError,
          onProgress: progress.update,
          onSkip: (s) => io.stderr(`msae-embed: skipped ${s.id}: ${s.error}\n`),
        });
      } else {
        result = await embedTexts(texts!, { model: flags.model, batchSize, normalize: flags.normalize, onProgress: progress.update });
      }
    } finally {
      progress.stop();
    }
    if (result.embeddings.rows === 0) throw new IoError(flags.images ?? flags.texts ?? '', 'every input failed, nothing to write');
    const seconds = (performance.now() - started) / 1000;
    const sidecar: EmbeddingSidecar = {
      model: result.model,
      dimension: result.dim,
      count: result.embeddings.rows,
      kind,
      normalized: flags.normalize,
      ids: result.ids,
      ...(result.skipped && result.skipped.length > 0 ? { skipped: result.skipped } : {}),
    };
    // embeddings, sidecar (and --ids) land together or not at all
    const sidecarFile = sidecarPath(flags.out);
    const files = [
      { path: flags.out, parts: embeddingFileParts(flags.out, result.embeddings) },
      { path: sidecarFile, parts: [new TextEncoder().encode(JSON.stringify(sidecar, null, 1) + '\n')] },
    ];
    if (flags.ids !== undefined) {
      files.push({ path: flags.ids, parts: [new TextEncoder().encode(result.ids.map((id) => id.replace(/\r?\n/g, ' ')).join('\n') + '\n')] });
    }
    await writeFilesAtomic(files);
    const summary = {
      out: flags.out,
      sidecar: sidecarFile,
      model: result.model,
      dimension: result.dim,
      count: result.embeddings.rows,
      skipped: result.skipped?.length ?? 0,
      seconds: Number(seconds.toFixed(3)),
      itemsPerSecond: Number((result.embeddings.rows / seconds).toFixed(2)),
    };
    if (flags.json) io.stdout(JSON.stringify(summary) + '\n');
    else
      io.stdout(
        `embedded ${summary.count} ${kind} (dim ${summary.dimension}) -> ${flags.out} + ${sidecarFile} in ${summary.seconds}s (${summary.itemsPerSecond} items/s)\n`,
      );
    return 0;
  } catch (err) {
    return fail(io, err);
  }
}

/** One stderr line `msae-embed: <problem>` (typed errors as they are; see @msae/cli-kit), and the exit code. */
function fail(io: CliIo, err: unknown): number {
  const { line, exitCode } = describeError(err);
  if (exitCode !== 0) io.stderr(`msae-embed: ${line}\n`);
  return exitCode;
}
