import { ConfigError } from '../errors.js';

/** A name that is not a registered architecture (from options, a cfg.json or a label). */
export class UnknownArchitectureError extends ConfigError {
  constructor(
    /** The name as given. */
    readonly architecture: string,
    /** The registered names (or labels) it was checked against. */
    readonly known: readonly string[],
    /** What the name came from, e.g. "config" or "run1/cfg.json" (the message's subject). */
    context = '',
    what = 'architecture',
  ) {
    super(context, `unknown ${what} '${architecture}' (expected ${known.join(', ')})`);
    this.name = 'UnknownArchitectureError';
  }
}
