import { describe, expect, it } from 'vitest';
import { paretoSpec } from '../src/index.js';

describe('paretoSpec', () => {
  it('one value per point, L0 floored for the log axis, non-finite metrics as null, two panels', () => {
    const spec = paretoSpec(
      [
        { k: 16, l0: 0, fvu: 0.2, cosine: 0.9 },
        { checkpoint: 'topk', k: 64, l0: 63.5, fvu: Number.NaN, cosine: 0.95 },
      ],
      'frontier',
      { width: 200 },
    );
    expect(spec.data.values).toEqual([
      { checkpoint: 'sae', k: 16, l0: 1e-3, fvu: 0.2, cosine: 0.9 },
      { checkpoint: 'topk', k: 64, l0: 63.5, fvu: null, cosine: 0.95 },
    ]);
    const panels = spec.hconcat as Array<{ width: number; encoding: { y: { field: string; scale: { type: string } } } }>;
    expect(panels.map((p) => [p.encoding.y.field, p.encoding.y.scale.type, p.width])).toEqual([
      ['fvu', 'log', 200],
      ['cosine', 'linear', 200],
    ]);
    expect(spec.title).toBe('frontier');
  });
});
