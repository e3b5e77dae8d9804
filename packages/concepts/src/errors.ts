import { MsaeError } from '@msae/core';

/** Base of the errors @msae/concepts throws on bad input (an MsaeError): one line, `<subject>: <problem>`. */
export class ConceptsError extends MsaeError {
  constructor(subject: string, problem: string) {
    super(subject, problem);
    this.name = 'ConceptsError';
  }
}

/** A vocabulary problem, worded `<file>: <problem>` on one line. */
export class VocabularyError extends ConceptsError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(file, problem);
    this.name = 'VocabularyError';
    this.file = file;
  }
}

/** Raised when a shipped vocabulary id is unknown or its files do not match. */
export class ShippedVocabularyError extends ConceptsError {
  constructor(
    public readonly vocabulary: string,
    problem: string,
  ) {
    super(vocabulary, problem);
    this.name = 'ShippedVocabularyError';
  }
}

/** Inputs that do not fit together (data width vs the SAE, a latent out of range, evidence counts). */
export class ConceptsInputError extends ConceptsError {
  constructor(problem: string) {
    super('', problem);
    this.name = 'ConceptsInputError';
  }
}
