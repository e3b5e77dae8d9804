import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/index.js';

function fakeStderr(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown };
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  stream.isTTY = isTTY;
  stream.columns = 120;
  // the terminal calls cli-progress makes
  stream.cursorTo = (_x: number, _y?: number, cb?: () => void) => (cb?.(), true);
  stream.clearLine = (_dir: number, cb?: () => void) => (cb?.(), true);
  return { stream, text: () => text };
}

describe('Progress', () => {
  it('picks json with --json, a bar on a TTY, nothing otherwise', () => {
    expect(createProgress({ json: true, stderr: fakeStderr(true).stream }).mode).toBe('json');
    expect(createProgress({ stderr: fakeStderr(true).stream }).mode).toBe('bar');
    expect(createProgress({ stderr: fakeStderr(false).stream }).mode).toBe('none');
  });

  it('json: throttled progress lines with the fields, the last one always, and events', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ json: true, stdout: (s) => out.push(s), now: () => t, throttleMs: 1000, stderr: fakeStderr(false).stream });
    p.start('encode', 10);
    t = 1500;
    p.update(1, { loss: 0.5 }); // first update after 1.5 s: written
    t = 1600;
    p.update(2); // within the throttle window: held
    t = 1700;
    p.update(10); // done === total: written
    p.event('epoch', { epoch: 1 });
    p.stop();
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { event: 'progress', task: 'encode', done: 1, total: 10, loss: 0.5 },
      { event: 'progress', task: 'encode', done: 10, total: 10 },
      { event: 'epoch', epoch: 1 },
    ]);
    expect(out.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('json: stop writes the pending line; an unknown total is null', () => {
    const out: string[] = [];
    const p = createProgress({ json: true, stdout: (s) => out.push(s), now: () => 0, stderr: fakeStderr(false).stream });
    p.start('scan', Number.POSITIVE_INFINITY);
    p.update(3);
    p.stop();
    expect(out.map((l) => JSON.parse(l))).toEqual([{ event: 'progress', task: 'scan', done: 3, total: null }]);
  });

  it('none: writes nothing but log lines', () => {
    const err = fakeStderr(false);
    const out: string[] = [];
    const p = createProgress({ stderr: err.stream, stdout: (s) => out.push(s) });
    p.start('x', 5);
    p.update(5);
    p.event('epoch', { epoch: 1 });
    p.log('note: hello');
    p.stop();
    expect(out).toEqual([]);
    expect(err.text()).toBe('note: hello\n');
  });

  it('bar: draws the task, the count and the fields on stderr', () => {
    const err = fakeStderr(true);
    const p = createProgress({ stderr: err.stream, format: '{task} {value}/{total} loss {loss}' });
    p.start('epoch 1/2', 4, { loss: '-' });
    p.update(4, { loss: '0.25' });
    p.stop();
    expect(err.text()).toContain('epoch 1/2 4/4 loss 0.25');
  });
});
