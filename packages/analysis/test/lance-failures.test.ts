// The on-disk search index fails cleanly (issue 22, items 6 and 7): LanceDB errors are one line naming the
// index directory (no Rust source paths, no "Caused by" chain), an index is built in a temporary directory and
// renamed into place only when complete, and a target that is a file or a foreign non-empty directory is refused.
import { MsaeError } from '@msae/core';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lanceProblem, quietLanceLogs } from '../src/lance-errors.js';
import { AnalysisError, buildLanceIndex, openLanceIndex, ShapeMismatchError } from '../src/index.js';
import { unitData } from './fixtures.js';

const collection = unitData(200, 16, 3);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msae-lance-fail-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

function expectOneLine(err: Error, start: string): void {
  expect(err.message.startsWith(start), err.message).toBe(true);
  expect(err.message).not.toContain('\n');
  expect(err.message).not.toMatch(/Caused by|\.rs:\d+|cargo|LanceError\(/);
}

describe('LanceDB failures', () => {
  it('a corrupt index (a truncated data file) gives one line naming the directory', async () => {
    const index = join(dir, 'corrupt');
    await buildLanceIndex({ dir: index, source: collection });
    const dataDir = join(index, 'items.lance', 'data');
    for (const f of await readdir(dataDir)) await truncate(join(dataDir, f), 10);
    const err = await errorOf(
      (async () => {
        const opened = await openLanceIndex(index);
        try {
          await opened.query(unitData(1, 16, 4), { k: 5 });
        } finally {
          opened.close();
        }
      })(),
    );
    expect(err).toBeInstanceOf(AnalysisError);
    expectOneLine(err, `${index}: `);
  });

  it('a missing manifest gives one line; a query of the wrong width names both widths', async () => {
    const index = join(dir, 'versions');
    await buildLanceIndex({ dir: index, source: collection });
    const opened = await openLanceIndex(index);
    try {
      const err = await errorOf(opened.query(unitData(1, 8, 4)));
      expect(err).toBeInstanceOf(ShapeMismatchError);
      expect(err.message).toBe(`${index}: the index holds 16-dimensional vectors but the query has 8`);
    } finally {
      opened.close();
    }
    await rm(join(index, 'items.lance', '_versions'), { recursive: true, force: true });
    const err = await errorOf(openLanceIndex(index));
    expectOneLine(err, `${index}: `);
  });

  it('refuses a file and a foreign non-empty directory before writing anything', async () => {
    const file = join(dir, 'afile');
    await writeFile(file, 'x');
    expect((await errorOf(buildLanceIndex({ dir: file, source: collection }))).message).toBe(`${file}: exists and is not a directory`);
    const foreign = join(dir, 'foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep');
    expect((await errorOf(buildLanceIndex({ dir: foreign, source: collection }))).message).toBe(
      `${foreign}: directory is not empty and holds no search index; refusing to write into it`,
    );
    expect(await readdir(foreign)).toEqual(['notes.txt']);
    expect(await readFile(file, 'utf8')).toBe('x');
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a build failing half-way leaves no index and no temporary directory; a rebuild replaces an index', async () => {
    const parent = join(dir, 'half');
    await mkdir(parent);
    const index = join(parent, 'index');
    const bad = new MsaeError('rows.npy', 'row 150 has a non-finite value (NaN) at column 3');
    const failing = async function* () {
      yield { data: collection.data.subarray(0, 100 * 16), rows: 100, cols: 16, start: 0 };
      throw bad;
    };
    expect(await errorOf(buildLanceIndex({ dir: index, source: failing }))).toBe(bad);
    expect(await readdir(parent)).toEqual([]);

    await buildLanceIndex({ dir: index, source: collection });
    await buildLanceIndex({ dir: index, source: unitData(50, 16, 5) });
    const opened = await openLanceIndex(index);
    expect(opened.rows).toBe(50);
    opened.close();
    expect(await readdir(parent)).toEqual(['index']);
    // a failing rebuild keeps the earlier index
    expect(await errorOf(buildLanceIndex({ dir: index, source: failing }))).toBe(bad);
    const again = await openLanceIndex(index);
    expect(again.rows).toBe(50);
    again.close();
    expect(await readdir(parent)).toEqual(['index']);
  });

  it('Rust messages are cut to their first line without source locations, with the leading / restored', () => {
    const raw =
      'lance error: LanceError(IO): Generic LocalFileSystem error: Unable to walk dir: IO error for operation on work/x/idx/items.lance/_versions: Not a directory (os error 20), /usr/local/cargo/registry/src/index.crates.io-1949cf8c6b5b557f/lance-io-8.0.0/src/object_store.rs:849:92\n  Caused by: Not a directory (os error 20)';
    expect(lanceProblem('/work/x/idx', new Error(raw))).toBe(
      'Generic LocalFileSystem error: Unable to walk dir: IO error for operation on /work/x/idx/items.lance/_versions: Not a directory (os error 20)',
    );
    expect(lanceProblem('/work/x/idx', new Error(raw.replace(/work\/x\/idx/g, '/work/x/.idx.tmp-1-ab')), '/work/x/.idx.tmp-1-ab')).toContain('on /work/x/idx/items.lance');
  });

  it("LanceDB's log lines are off unless asked for (LANCEDB_LOG, LANCE_LOG or RUST_LOG)", () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{}, 'off'],
      [{ RUST_LOG: 'info' }, 'info'],
      [{ LANCE_LOG: 'debug', RUST_LOG: 'info' }, 'debug'],
      [{ LANCEDB_LOG: 'warn' }, 'warn'],
    ];
    for (const [env, expected] of cases) {
      quietLanceLogs(env);
      expect(env.LANCEDB_LOG).toBe(expected);
    }
  });
});
