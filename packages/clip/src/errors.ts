import { MsaeError } from '@msae/core';

/** Thrown for bad inputs to the CLIP embedders (an MsaeError); the message is one line naming the input and the problem. */
export class EmbeddingInputError extends MsaeError {
  constructor(message: string) {
    super('', message);
    this.name = 'EmbeddingInputError';
  }
}
