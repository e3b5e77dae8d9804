/** What the token helpers need of a tokenizer (transformers.js' PreTrainedTokenizer has it). */
export interface ClipTokenizer {
  encode(text: string): number[];
  eos_token_id?: unknown;
  pad_token_id?: unknown;
}

/** A padded batch of token ids, row-major [rows, length]. */
export interface TokenBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  rows: number;
  length: number;
}

/**
 * CLIP token ids of one text: [start, t_1..t_n, end]. Longer than `context` -> [start, t_1..t_{context-2}, end]
 * (cut to 75 tokens for CLIP and put the end token back: CLIP pools at the end token's position,
 * and plain truncation would drop it).
 */
export function clipTokenIds(tokenizer: ClipTokenizer, text: string, context: number): number[] {
  const ids = tokenizer.encode(text);
  const end = tokenizer.eos_token_id as number | undefined;
  if (ids.length <= context) return ids;
  const cut = ids.slice(0, context);
  if (end !== undefined) cut[context - 1] = end;
  return cut;
}

/** Pad rows to the longest with the tokenizer's pad token (CLIP: the end token); mask = 1 on real tokens. */
export function padTokenBatch(rows: number[][], padId: number): TokenBatch {
  const length = Math.max(1, ...rows.map((r) => r.length));
  const inputIds = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows.length * length);
  rows.forEach((r, i) => {
    for (let j = 0; j < r.length; j++) {
      inputIds[i * length + j] = BigInt(r[j]);
      attentionMask[i * length + j] = 1n;
    }
  });
  return { inputIds, attentionMask, rows: rows.length, length };
}

/** The pad id CLIP tokenizers use: pad token, else end token, else 0. */
export function padTokenId(tokenizer: ClipTokenizer): number {
  return (tokenizer.pad_token_id as number | undefined) ?? (tokenizer.eos_token_id as number | undefined) ?? 0;
}
