import type { ArchitectureOptions } from '@msae/core';

/** The value kinds of training options, each with its range: `positive` > 0, `nonNegative` >= 0, `list` of numbers > 0. */
export type OptionKind = 'positiveInt' | 'int' | 'positive' | 'nonNegative' | 'choice' | 'list' | 'boolean';

/** Where an option is set in a sweep file: shared by every member (`run`) or per member. */
export type OptionScope = 'run' | 'member';

/** One training option: everything the CLI flag, the sweep key, the playground form and validation derive from. */
export interface OptionSpec {
  /** camelCase key: fit() option, sweep-file key, form field. */
  key: string;
  /** Command-line flag, e.g. `--batch-size`; with `value` (e.g. `<n>`) unless a boolean switch. */
  flag: string;
  value?: string;
  kind: OptionKind;
  choices?: readonly string[];
  /** One line of help, without the default (derived: see `defaultText`). */
  help: string;
  /** The default as text, read from the registry / core constants (undefined: no default to show). */
  defaultText?: () => string | undefined;
  /** The registry's option flag that makes this option apply (absent: every architecture). */
  requires?: keyof ArchitectureOptions;
  scope: OptionScope;
  /** The cfg.json key it is written under (msae), and the SAELens cfg key where SAELens has one. */
  cfgKey?: string;
  saeLensKey?: string;
  /** Engines that refuse configs using it (they throw with alternatives); absent: every engine. */
  refusedBy?: readonly string[];
}

const KIND_WHAT: Record<Exclude<OptionKind, 'choice'>, string> = {
  positiveInt: 'a positive integer',
  int: 'an integer',
  positive: 'a positive number',
  nonNegative: 'a number >= 0',
  list: 'a comma-separated list of positive numbers',
  boolean: 'true or false',
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why `value` is not a valid value of `spec` (a problem without the option's name), or undefined when it is. */
export function valueProblem(spec: OptionSpec, value: unknown, shown = JSON.stringify(value)): string | undefined {
  const ok = (() => {
    switch (spec.kind) {
      case 'positiveInt':
        return isNumber(value) && Number.isInteger(value) && value > 0;
      case 'int':
        return isNumber(value) && Number.isInteger(value);
      case 'positive':
        return isNumber(value) && value > 0;
      case 'nonNegative':
        return isNumber(value) && value >= 0;
      case 'list':
        return Array.isArray(value) && value.length > 0 && value.every((v) => isNumber(v) && v > 0);
      case 'boolean':
        return typeof value === 'boolean';
      case 'choice':
        return typeof value === 'string' && (spec.choices ?? []).includes(value);
    }
  })();
  if (ok) return undefined;
  const what = spec.kind === 'choice' ? `one of ${(spec.choices ?? []).join(', ')}` : KIND_WHAT[spec.kind];
  return `must be ${what}, got ${shown}`;
}

/** A command-line text as the option's value (numbers, `a/b` fractions in lists); undefined when it does not parse. */
export function parseOptionText(spec: OptionSpec, text: string): unknown {
  const num = (t: string) => (/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(t) ? Number(t) : Number.NaN);
  switch (spec.kind) {
    case 'choice':
      return text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'list':
      return text.split(',').map((part) => {
        const [a, b, extra] = part.trim().split('/');
        return extra !== undefined ? Number.NaN : b === undefined ? num(a) : num(a) / num(b);
      });
    default:
      return num(text);
  }
}

/** The help line of an option: its help and the derived default. */
export function helpText(spec: OptionSpec): string {
  const d = spec.defaultText?.();
  return d === undefined ? spec.help : `${spec.help} (default ${d})`;
}
