import { MsaeError } from '@msae/core';

/** Typed errors of the registries: MsaeErrors (core's one root) whose message is one line, `<subject>: <problem>`. */
export class RegistryError extends MsaeError {
  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    super(subject, problem, options);
    this.name = 'RegistryError';
  }
}

/** A name no engine (or matmul provider) is registered under; `known` lists the names that are. */
export class UnknownEngineError extends RegistryError {
  constructor(
    readonly kind: string,
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super(`${kind} '${requested}'`, `unknown name (expected one of: ${known.join(', ')})`);
    this.name = 'UnknownEngineError';
  }
}

/** A registered engine (or provider) that cannot run here; `reason` says why. */
export class EngineUnavailableError extends RegistryError {
  constructor(
    readonly kind: string,
    readonly requested: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} '${requested}'`, `unavailable: ${reason}`, options);
    this.name = 'EngineUnavailableError';
  }
}

/** A factory whose engine reports a `name` other than the one it was registered under. */
export class EngineNameMismatchError extends RegistryError {
  constructor(
    readonly registered: string,
    readonly reported: string,
  ) {
    super(`engine '${registered}'`, `the factory returned an engine named '${reported}' (engine.name must be its registered name)`);
    this.name = 'EngineNameMismatchError';
  }
}

/** First line of an error's message (or of String(value)). */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
