import { type Command, InvalidArgumentError } from 'commander';
import { number, positiveInt } from '@msae/cli-kit';
import { DEFAULT_EVIDENCE_RULE, DEFAULT_TEMPLATE, DEFAULT_TEXT_MODEL, DECODER_MAPPINGS, type DecoderMapping } from '@msae/concepts';
import type { NamingPipelineOptions } from './naming-pipeline.js';

function collect(v: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), v];
}

function fraction(name: string) {
  return (v: string) => {
    const x = Number(v);
    if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`${name} must be a number between 0 and 1 (exclusive)`);
    return x;
  };
}

/** The options `name` and `latents` share (vocabulary, data, acceptance rule). */
export function addNamingOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--checkpoint <dir>', 'SAE checkpoint directory')
    .option('--vocab <file>', 'vocabulary (repeat to merge several, each keeps its source): .txt (one concept per line, embedded with --model) or .npy/.safetensors with --labels', collect)
    .option('--labels <file>', 'labels of a precomputed .npy/.safetensors --vocab (.txt one per line or .json array; repeat in --vocab order)', collect)
    .option('--shipped <id>', 'a shipped vocabulary, e.g. clip-vit-b32-imagenet-detic-2303 (repeat to merge); default when no --vocab: the largest shipped one for the checkpoint\'s width, or the demo\'s planted concepts for a demo checkpoint', collect)
    .option('--model <id|dir>', 'CLIP text model for a .txt vocabulary', DEFAULT_TEXT_MODEL)
    .option('--template <text>', `prompt template with {} (repeat to average several; default "${DEFAULT_TEMPLATE}")`, collect)
    .option('--batch-size <n>', 'texts per forward pass when embedding a .txt vocabulary', positiveInt('--batch-size'))
    .option('--no-cache', 'do not read or write the vocabulary embedding cache')
    .option('--data <file>', 'embeddings (CLIP space) to choose and validate names on: split in halves, near-duplicates collapsed')
    .option('--held-out <file>', 'embeddings never used to choose names (e.g. a validation file): reports how many names hold up there')
    .option('--fdr <q>', 'false-discovery rate of the decoder test over all latents (Benjamini-Hochberg)', fraction('--fdr'), DEFAULT_EVIDENCE_RULE.fdr)
    .option('--max-evidence-rank <n>', 'with --data: the name must rank at most n of the vocabulary by lift on the validate half', positiveInt('--max-evidence-rank'), DEFAULT_EVIDENCE_RULE.maxEvidenceRank)
    .option('--candidates <n>', 'decoder candidates per latent the name is chosen from', positiveInt('--candidates'), 10)
    .option('--null-samples <n>', 'null directions for the decoder p-values (smallest p = 1 / (n + 1))', positiveInt('--null-samples'), 8192)
    .option('--top-rows <n>', 'top-activating rows per latent used as evidence', positiveInt('--top-rows'), 32)
    .option('--k <k>', "keep each row's top-k codes when encoding (default: the checkpoint's k; every positive code for relu)", positiveInt('--k'))
    .option('--mapping <row|affine>', 'decoder row -> CLIP space: bare row (default) or row / scale + mean (the paper)', (v: string) => {
      if (!DECODER_MAPPINGS.includes(v as DecoderMapping)) throw new InvalidArgumentError(`--mapping must be one of ${DECODER_MAPPINGS.join(', ')}`);
      return v as DecoderMapping;
    }, 'row' as DecoderMapping)
    .option('--seed <n>', 'seed of the null directions and of the choose/validate split', number('--seed'), 20250227);
}

/** Raw commander options -> pipeline options. */
export function pipelineOptions(raw: Record<string, unknown>): NamingPipelineOptions & { mapping: DecoderMapping } {
  return {
    checkpoint: raw.checkpoint as string,
    vocab: (raw.vocab as string[] | undefined) ?? [],
    labels: (raw.labels as string[] | undefined) ?? [],
    shipped: (raw.shipped as string[] | undefined) ?? [],
    model: raw.model as string,
    template: (raw.template as string[] | undefined) ?? [DEFAULT_TEMPLATE],
    batchSize: raw.batchSize as number | undefined,
    cache: raw.cache as boolean,
    data: raw.data as string | undefined,
    heldOut: raw.heldOut as string | undefined,
    fdr: raw.fdr as number,
    maxEvidenceRank: raw.maxEvidenceRank as number,
    candidates: raw.candidates as number,
    nullSamples: raw.nullSamples as number,
    topRows: raw.topRows as number,
    k: raw.k as number | undefined,
    mapping: raw.mapping as DecoderMapping,
    seed: raw.seed as number,
  };
}
