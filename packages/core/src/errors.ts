/**
 * Typed errors of msae. Every error a user can cause (a bad config, a malformed checkpoint or safetensors
 * file) is an `MsaeError` whose `message` is one line, `<subject>: <problem>`. CLIs print `message` alone
 * when `isMsaeError(err)`; nothing parses messages back out of strings: read `subject` and `problem`.
 */
export class MsaeError extends Error {
  /** What the problem is about: a file, a directory, or a context such as `config`. */
  readonly subject: string;
  /** What is wrong (one line, without the subject). */
  readonly problem: string;
  /** Marker that survives duplicated module copies (ESM + CJS builds, bundles). */
  readonly isMsaeError = true;

  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    const line = oneLine(problem);
    super(subject ? `${subject}: ${line}` : line, options);
    this.name = 'MsaeError';
    this.subject = subject;
    this.problem = line;
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

/** True for an MsaeError (or a subclass), also one thrown by another copy of this module. */
export function isMsaeError(err: unknown): err is MsaeError {
  return (
    err instanceof MsaeError || (typeof err === 'object' && err !== null && (err as { isMsaeError?: unknown }).isMsaeError === true)
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
