/**
 * Typed errors of msae: one root, `MsaeError`, that every package's errors extend. Every error a user can cause (a bad
 * config, a malformed checkpoint or safetensors file, a bad CLI option) has a one-line `message`,
 * `<subject>: <problem>`. CLIs print `message` alone when `MsaeError.isInstance(err)`; nothing parses messages back
 * out of strings: read `subject` and `problem`.
 *
 * `isInstance` checks a `Symbol.for` marker instead of `instanceof`, so it also recognises an error thrown by another
 * copy of this module (the ESM and CJS builds, a bundled copy), as the Vercel AI SDK's errors do.
 */
const MARKER = 'msae.error';
const SYMBOL = Symbol.for(MARKER);

export class MsaeError extends Error {
  /** What the problem is about: a file, a directory, or a context such as `config` (may be empty). */
  readonly subject: string;
  /** What is wrong (one line, without the subject). */
  readonly problem: string;
  readonly [SYMBOL] = true;

  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    const line = oneLine(problem);
    super(subject ? `${subject}: ${line}` : line, options);
    this.name = 'MsaeError';
    this.subject = subject;
    this.problem = line;
  }

  /** True for an MsaeError (or any subclass), also one thrown by another copy of this module. */
  static isInstance(error: unknown): error is MsaeError {
    return MsaeError.hasMarker(error, MARKER);
  }

  /** Whether `error` carries the `Symbol.for(marker)` marker a subclass sets (for subclasses' own isInstance). */
  protected static hasMarker(error: unknown, marker: string): boolean {
    const symbol = Symbol.for(marker);
    return typeof error === 'object' && error !== null && symbol in error && (error as Record<symbol, unknown>)[symbol] === true;
  }
}

/** An invalid SAE config (options given to resolveConfig, or a config read from a file). */
export class ConfigError extends MsaeError {
  constructor(context: string, problem: string, options?: { cause?: unknown }) {
    super(context, problem, options);
    this.name = 'ConfigError';
  }

  /** The context the config came from (`config`, `run1/cfg.json`, ...). */
  get context(): string {
    return this.subject;
  }
}

/**
 * An engine asked to run an architecture it has no kernels for (e.g. jumprelu on the native cpu engine):
 * "engine 'cpu' does not support architecture jumprelu; use --backend tfjs-wasm, tfjs-cpu or reference".
 */
export class UnsupportedArchitectureError extends ConfigError {
  constructor(
    readonly engine: string,
    readonly architecture: string,
    /** Engines that do run it, best first. */
    readonly alternatives: readonly string[],
  ) {
    const use = alternatives.length > 1 ? `${alternatives.slice(0, -1).join(', ')} or ${alternatives[alternatives.length - 1]}` : (alternatives[0] ?? '');
    super('', `engine '${engine}' does not support architecture ${architecture}${use ? `; use --backend ${use}` : ''}`);
    this.name = 'UnsupportedArchitectureError';
  }
}

/** A file whose bytes or JSON do not follow its format (safetensors header, cfg.json keys, tensor shapes). */
export class FileFormatError extends MsaeError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(file, problem, options);
    this.name = 'FileFormatError';
  }

  /** The file (or the context naming it) the problem is in. */
  get file(): string {
    return this.subject;
  }
}

/** A checkpoint file (cfg.json, sae_weights.safetensors, optimizer_state.safetensors) that cannot be decoded. */
export class CheckpointFormatError extends FileFormatError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(file, problem, options);
    this.name = 'CheckpointFormatError';
  }
}

/**
 * A function called with arguments it cannot take (a shape that does not match, a value out of range, a method called
 * before load()): a mistake in the calling code, named in one line ("matmul: inner dimensions differ (2x3 times ...)").
 */
export class ArgumentError extends MsaeError {
  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    super(subject, problem, options);
    this.name = 'ArgumentError';
  }
}

/** MsaeError.isInstance as a function: true for an MsaeError (or a subclass), also one from another copy of this module. */
export function isMsaeError(err: unknown): err is MsaeError {
  return MsaeError.isInstance(err);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
