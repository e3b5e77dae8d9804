/** The built site stays light: <= 40 MB in all, every page <= 40 KB of HTML, one onnxruntime-web variant. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from './site-fixture.js';

function files(dir: string): Array<{ path: string; bytes: number }> {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const s = statSync(full);
    return s.isDirectory() ? files(full) : [{ path: relative(DIST, full), bytes: s.size }];
  });
}

describe.skipIf(!statSync(DIST, { throwIfNoEntry: false })?.isDirectory() && !process.env.CI)('built site weight', () => {
  it('the whole site is at most 40 MB and every HTML page at most 40 KB', () => {
    const all = files(DIST);
    const total = all.reduce((s, f) => s + f.bytes, 0);
    const biggest = [...all].sort((a, b) => b.bytes - a.bytes).slice(0, 5).map((f) => `${f.path} ${(f.bytes / 2 ** 20).toFixed(1)} MB`);
    console.log(`site: ${(total / 2 ** 20).toFixed(1)} MB in ${all.length} files; largest: ${biggest.join(', ')}`);
    expect(total, biggest.join('\n')).toBeLessThanOrEqual(40 * 2 ** 20);
    const pages = all.filter((f) => f.path.endsWith('.html'));
    const heavy = pages.filter((p) => p.bytes > 40 * 1024).map((p) => `${p.path} ${(p.bytes / 1024).toFixed(0)} KB`);
    console.log(`pages: ${pages.length}, largest ${Math.max(...pages.map((p) => p.bytes)) / 1024} KB`);
    expect(heavy).toEqual([]);
  });

  it('ships one onnxruntime-web variant, served from /ort/ only', () => {
    const wasm = files(DIST).filter((f) => /ort-wasm.*\.wasm$/.test(f.path));
    expect(wasm.map((f) => f.path)).toHaveLength(1);
    expect(wasm[0].path.startsWith('ort/')).toBe(true);
  });
});
