import { MsaeError } from '@msae/core';
import type * as TransformersModule from '@huggingface/transformers';

/** The CLIP runtime (transformers.js), an optional peer of @msae/clip loaded on first use. */
export type Transformers = typeof TransformersModule;

/** The optional peer that runs CLIP is not installed: "npm install @huggingface/transformers" names the fix. */
export class ClipRuntimeMissingError extends MsaeError {
  constructor(why: string) {
    super(
      '@msae/clip',
      `the CLIP runtime '@huggingface/transformers' is not installed (npm install @huggingface/transformers@^4.3.1); it is needed only to embed images or texts with a CLIP model: ${why}`,
    );
    this.name = 'ClipRuntimeMissingError';
  }
}

let pending: Promise<Transformers> | undefined;

/** Import transformers.js once, on the first call that runs a CLIP model. */
export function loadTransformers(): Promise<Transformers> {
  pending ??= import('@huggingface/transformers').catch((err: unknown) => {
    pending = undefined;
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new ClipRuntimeMissingError(why);
  });
  return pending;
}
