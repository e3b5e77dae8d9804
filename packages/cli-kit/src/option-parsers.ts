import { InvalidArgumentError } from 'commander';

/**
 * commander argument parsers with one-line errors that name the option, e.g.
 * `.option('--k <n>', 'k', positiveInt('--k'))` -> "option '--k <n>' argument 'x' is invalid. --k must be a
 * positive integer, got 'x'". Integers are written in decimal digits only (no 1e3, 0x10, or blanks).
 */
export type Parser<T> = (text: string) => T;

const INTEGER = /^[+-]?\d+$/;

/** An integer in [min, max]; `what` words the error ("a positive integer"). */
export function integerParser(name: string, opts: { min?: number; max?: number; what?: string } = {}): Parser<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = opts;
  const what = opts.what ?? (min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : 'an integer');
  return (text) => {
    const n = Number(text);
    if (!INTEGER.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be ${what}, got '${text}'`);
    }
    return n;
  };
}

/** An integer >= 1. */
export const positiveInt = (name: string): Parser<number> => integerParser(name, { min: 1 });
/** An integer >= 0. */
export const nonNegativeInt = (name: string): Parser<number> => integerParser(name, { min: 0 });
/** Any safe integer (seeds). */
export const integer = (name: string): Parser<number> => integerParser(name);

/** A finite number in [min, max] (or (min, max] with `exclusiveMin`). */
export function floatParser(name: string, opts: { min?: number; max?: number; exclusiveMin?: boolean; what?: string } = {}): Parser<number> {
  const { min = -Infinity, max = Infinity, exclusiveMin = false } = opts;
  const what = opts.what ?? (min === 0 ? (exclusiveMin ? 'a positive number' : 'a non-negative number') : 'a number');
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || (exclusiveMin && n === min) || n > max) {
      throw new InvalidArgumentError(`${name} must be ${what}, got '${text}'`);
    }
    return n;
  };
}

/** A finite number > 0. */
export const positiveNumber = (name: string): Parser<number> => floatParser(name, { min: 0, exclusiveMin: true });
/** A finite number >= 0. */
export const nonNegativeNumber = (name: string): Parser<number> => floatParser(name, { min: 0 });
/** Any finite number. */
export const number = (name: string): Parser<number> => floatParser(name);

/** One of `values` (exact match, or case-insensitive with `ignoreCase`; the canonical spelling is returned). */
export function choiceParser<T extends string>(name: string, values: readonly T[], opts: { ignoreCase?: boolean } = {}): Parser<T> {
  return (text) => {
    const hit = values.find((v) => (opts.ignoreCase ? v.toLowerCase() === text.toLowerCase() : v === text));
    if (hit === undefined) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}, got '${text}'`);
    return hit;
  };
}

/** A comma-separated list, each item parsed by `item` (duplicates kept, order kept). */
export function listParser<T>(name: string, item: Parser<T>): Parser<T[]> {
  return (text) => {
    const parts = text.split(',').map((p) => p.trim());
    if (parts.some((p) => p === '')) throw new InvalidArgumentError(`${name} must be a comma-separated list, got '${text}'`);
    return parts.map(item);
  };
}
