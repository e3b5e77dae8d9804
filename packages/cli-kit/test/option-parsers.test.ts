import { type Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  choiceParser,
  createProgram,
  describeError,
  floatParser,
  integer,
  integerParser,
  listParser,
  nonNegativeInt,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
} from '../src/index.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('option parsers', () => {
  it('integers: decimal digits only, with bounds', () => {
    expect(positiveInt('--k')('64')).toBe(64);
    expect(positiveInt('--k')('+3')).toBe(3);
    expect(nonNegativeInt('--n')('0')).toBe(0);
    expect(integer('--seed')('-7')).toBe(-7);
    expect(integerParser('--t', { min: 2, max: 4 })('4')).toBe(4);
    expect(message(() => positiveInt('--k')('0'))).toBe("--k must be a positive integer, got '0'");
    for (const bad of ['x', '1.5', '1e3', '0x10', ' 5', '', '9007199254740993']) {
      expect(message(() => positiveInt('--k')(bad))).toBe(`--k must be a positive integer, got '${bad}'`);
    }
    expect(message(() => nonNegativeInt('--n')('-1'))).toBe("--n must be a non-negative integer, got '-1'");
    expect(message(() => integer('--seed')('seven'))).toBe("--seed must be an integer, got 'seven'");
    expect(message(() => integerParser('--t', { min: 2, max: 4 })('5'))).toBe("--t must be an integer, got '5'");
  });

  it('floats: finite numbers with bounds', () => {
    expect(positiveNumber('--lr')('5e-4')).toBe(5e-4);
    expect(nonNegativeNumber('--l1')('0')).toBe(0);
    expect(floatParser('--x', { min: -1, max: 1 })('-0.5')).toBe(-0.5);
    expect(message(() => positiveNumber('--lr')('0'))).toBe("--lr must be a positive number, got '0'");
    expect(message(() => nonNegativeNumber('--l1')('-0.1'))).toBe("--l1 must be a non-negative number, got '-0.1'");
    for (const bad of ['', ' ', 'abc', 'Infinity', 'NaN']) {
      expect(message(() => positiveNumber('--lr')(bad))).toBe(`--lr must be a positive number, got '${bad}'`);
    }
  });

  it('choices and lists', () => {
    const arch = choiceParser('--architecture', ['msae', 'topk'] as const);
    expect(arch('topk')).toBe('topk');
    expect(message(() => arch('TopK'))).toBe("--architecture must be one of msae, topk, got 'TopK'");
    const configs = listParser('--config', choiceParser('--config', ['A', 'B', 'C'] as const, { ignoreCase: true }));
    expect(configs('a, C')).toEqual(['A', 'C']);
    expect(message(() => configs('A,,B'))).toBe("--config must be a comma-separated list, got 'A,,B'");
    expect(message(() => configs('A,E'))).toBe("--config must be one of A, B, C, got 'E'");
  });

  it('a program from createProgram throws one-line errors naming the option instead of exiting', () => {
    const run = (args: string[]) => {
      const p: Command = createProgram('demo').option('--k <n>', 'k', positiveInt('--k')).option('--json', 'json');
      try {
        p.parse(args, { from: 'user' });
        return { ok: p.opts() };
      } catch (e) {
        return describeError(e);
      }
    };
    expect(run(['--k', '8'])).toEqual({ ok: { k: 8 } });
    expect(run(['--k', 'x'])).toEqual({
      line: "option '--k <n>' argument 'x' is invalid. --k must be a positive integer, got 'x'",
      exitCode: 2,
      typed: true,
    });
    // commander's suggestion line is joined into the same line
    expect(run(['--jsn'])).toEqual({ line: "unknown option '--jsn' (Did you mean --json?)", exitCode: 2, typed: true });
  });
});
