/**
 * `msae-eval convert IN OUT`: read a checkpoint in any layout loadCheckpoint knows (an msae directory, a
 * SAELens directory, the MSAE paper's .pth, dictionary_learning's ae.pt + config.json) and write it as an msae
 * directory (cfg.json + sae_weights.safetensors), atomically: OUT appears complete or not at all. cfg.json's
 * training.source records the input's format, what was assumed and what was folded into the weights.
 */
import type { Command } from 'commander';
import type { CheckpointSource, LoadedCheckpoint } from '@msae/io';
import { CliError } from '../cli-error.js';

export interface ConvertOptions {
  input: string;
  output: string;
  /** Replace OUT when it already holds a checkpoint. */
  force?: boolean;
}

export interface ConvertResult {
  input: string;
  output: string;
  format: string;
  architecture: string;
  k: number;
  dIn: number;
  dSae: number;
  source?: CheckpointSource;
}

/** Convert IN to an msae directory at OUT; typed one-line errors for unreadable input or an unusable OUT. */
export async function runConvert(opts: ConvertOptions): Promise<ConvertResult> {
  const { FORMAT_NAMES, loadCheckpoint, saveCheckpoint } = await import('@msae/io');
  const { readdir } = await import('node:fs/promises');
  if (!opts.force) {
    const entries = await readdir(opts.output).catch(() => [] as string[]);
    if (entries.length > 0) throw new CliError(`${opts.output}: already exists and is not empty; pass --force to replace a checkpoint there`);
  }
  const ckpt: LoadedCheckpoint = await loadCheckpoint(opts.input);
  const { optimizer, trainerState } = ckpt;
  await saveCheckpoint(opts.output, { config: ckpt.config, params: ckpt.params, normalization: ckpt.normalization, training: ckpt.training }, { optimizer, trainerState });
  const format = ckpt.format ?? 'msae';
  const source = ckpt.training?.source as CheckpointSource | undefined;
  return {
    input: opts.input,
    output: opts.output,
    format: FORMAT_NAMES[format],
    architecture: ckpt.config.architecture,
    k: ckpt.config.k,
    dIn: ckpt.config.dIn,
    dSae: ckpt.config.dSae,
    source: format === 'msae' ? undefined : source,
  };
}

/** Human-readable summary: one line, then what was assumed and folded. */
export function convertSummary(r: ConvertResult): string {
  const lines = [`${r.input} (${r.format}${r.source?.version ? ` ${r.source.version}` : ''}: ${r.architecture}, k ${r.k}, ${r.dIn} -> ${r.dSae}) -> ${r.output}`];
  const assumed = Object.entries(r.source?.assumed ?? {});
  if (assumed.length > 0) lines.push(`  assumed: ${assumed.map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')}`);
  for (const f of r.source?.folded ?? []) lines.push(`  folded: ${f}`);
  if (r.source?.ignored.length) lines.push(`  ignored: ${r.source.ignored.join(', ')}`);
  return lines.join('\n');
}

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('write a checkpoint from SAELens (cfg.json + sae_weights.safetensors), the MSAE paper (.pth) or dictionary_learning (ae.pt + config.json) as an msae checkpoint directory')
    .argument('<in>', 'checkpoint directory or .pth/.pt file')
    .argument('<out>', 'msae checkpoint directory to write')
    .option('--force', 'replace OUT when it already holds a checkpoint', false)
    .option('--json', 'print one JSON object as the last stdout line', false)
    .action(async (input: string, output: string, options: { force: boolean; json: boolean }) => {
      const result = await runConvert({ input, output, force: options.force });
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${convertSummary(result)}\n`);
    });
}
