import { MsaeError } from './errors.js';

/**
 * Rows handed to an engine that do not fit the SAE: the wrong array type, or a width that is not d_in (x) / d_sae
 * (z). The message names the mistake: "cpu engine: x must be a Float32Array of 4x16=64 values, got a Float64Array
 * (convert with Float32Array.from(x))", "... got 32: 8 values per row, but the SAE's d_in is 16".
 */
export class EngineInputError extends MsaeError {
  constructor(
    /** The engine's name (`cpu`, `reference`, `tfjs-wasm`, ...). */
    readonly engine: string,
    problem: string,
  ) {
    super(`${engine} engine`, problem);
    this.name = 'EngineInputError';
  }
}

/** What an input array is, for a message: "a Float64Array", "an Array", "undefined". */
function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  const name = (x as { constructor?: { name?: string } }).constructor?.name ?? typeof x;
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * Check `rows` rows of `cols` values before an engine runs them (what 'x': cols = d_in; 'z': cols = d_sae); throws
 * an EngineInputError naming the wrong type, or the width against d_in / d_sae, or the row count.
 */
export function checkEngineRows(engine: string, x: unknown, rows: number, cols: number, what: 'x' | 'z' = 'x'): void {
  if (!Number.isInteger(rows) || rows < 1) throw new EngineInputError(engine, `rows must be a positive integer, got ${rows}`);
  const width = what === 'z' ? 'd_sae' : 'd_in';
  const expected = `${what} must be a Float32Array of ${rows}x${cols}=${rows * cols} values`;
  if (!(x instanceof Float32Array)) {
    throw new EngineInputError(engine, `${expected}, got ${describe(x)} (convert with Float32Array.from(${what}))`);
  }
  if (x.length === rows * cols) return;
  let why = '';
  if (x.length % rows === 0) why = `: ${x.length / rows} values per row, but the SAE's ${width} is ${cols}`;
  else if (x.length % cols === 0) why = `: ${x.length / cols} rows of ${width} = ${cols}, but rows = ${rows}`;
  throw new EngineInputError(engine, `${expected}, got ${x.length}${why}`);
}
