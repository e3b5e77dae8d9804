import { MsaeError } from '../errors.js';

/** Inputs the inference module cannot use: widths that do not fit the SAE, missing tensors, a bad k. */
export class InferenceInputError extends MsaeError {
  constructor(subject: string, problem: string) {
    super(subject, problem);
    this.name = 'InferenceInputError';
  }
}
