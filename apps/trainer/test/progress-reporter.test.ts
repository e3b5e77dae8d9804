import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TrainingReporter } from '../src/progress-reporter.js';

/** A non-TTY stderr that keeps what is written. */
function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, done) {
      w.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('TrainingReporter in plain mode (not a TTY, no --json)', () => {
  it('prints a step line at most once per interval inside an epoch, and the epoch line', () => {
    const err = sink();
    let t = 0;
    const reporter = new TrainingReporter({ mode: 'none', stderr: err, plainEveryMs: 1000, now: () => t });
    const step = (s: number) => reporter.step({ epoch: 1, epochs: 2, step: s, stepsPerEpoch: 100, samplesPerSecond: 1234.4, loss: 0.5 });
    step(1); // t = 0: not yet an interval since the start
    t = 999;
    step(2);
    t = 1000;
    step(3); // first line
    t = 1500;
    step(4);
    t = 2100;
    step(5); // second line
    expect(err.text).toBe('epoch 1/2 step 3/100 loss 0.5000 1234 samples/s\nepoch 1/2 step 5/100 loss 0.5000 1234 samples/s\n');
    reporter.epoch({ epoch: 1, epochs: 2, globalStep: 100, loss: 0.25, lr: 1e-3, samplesPerSecond: 1000, val: [{ k: 64, fvu: 0.1, l0: 64, deadLatents: 3 }] });
    expect(err.text.split('\n')[2]).toBe('epoch 1/2 step 100 loss 0.2500 lr 1.00e-3 1000 samples/s | val k=64: fvu 0.1000 L0 64.0 dead 3');
    // the epoch line restarts the interval
    t = 2500;
    step(1);
    expect(err.text.split('\n')).toHaveLength(4);
  });
});
