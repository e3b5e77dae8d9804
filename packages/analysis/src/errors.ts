import { MsaeError } from '@msae/core';

/** Base class of every error @msae/analysis throws on bad input (an MsaeError); `message` is one line naming the input. */
export class AnalysisError extends MsaeError {
  constructor(message: string) {
    super('', message);
    this.name = 'AnalysisError';
  }
}

/** A concept name that the naming result does not carry. */
export class UnknownConceptError extends AnalysisError {
  constructor(readonly concept: string) {
    super(`concept "${concept}" is not in the naming result`);
    this.name = 'UnknownConceptError';
  }
}

/** Widths or row counts that do not fit together (embeddings vs checkpoint, classifier, attribute table). */
export class ShapeMismatchError extends AnalysisError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeMismatchError';
  }
}

/** An attribute table that cannot be parsed, or an attribute it does not have. */
export class AttributeTableError extends AnalysisError {
  constructor(message: string) {
    super(message);
    this.name = 'AttributeTableError';
  }
}

/** An optional dependency (LanceDB, the CLIP text model) that is not installed. */
export class MissingDependencyError extends AnalysisError {
  constructor(readonly dependency: string, purpose: string) {
    super(`${purpose} needs the optional peer ${dependency}, which is not installed (npm install ${dependency})`);
    this.name = 'MissingDependencyError';
  }
}
