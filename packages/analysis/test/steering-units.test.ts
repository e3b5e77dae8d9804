import { describe, expect, it } from 'vitest';
import {
  activationQuantile,
  AnalysisError,
  encodeRows,
  latentScales,
  maxActivation,
  parseEdit,
  rangeWarnings,
  resolveEdits,
  steer,
  steeringEffects,
  steeringRange,
  typicalActivation,
  zeroShotHead,
} from '../src/index.js';
import { identitySae, rowsOf } from './planted-dictionary.js';

// latent 5 fires on 11 rows with 1.0, 1.2, ..., 3.0 (median 2, max 3); latent 2 never fires
const d = 8;
const model = identitySae(d);
const planted = rowsOf(d, [...Array.from({ length: 11 }, (_, i) => ({ 5: 1 + 0.2 * i, 0: 0.5 })), { 0: 1 }, { 1: 1 }]);

describe('steering in the units the data defines', () => {
  it('scales: median, max and quantiles of the planted latent\'s positive codes', async () => {
    const scales = latentScales(await encodeRows(model, planted));
    expect(typicalActivation(scales, 5)).toBeCloseTo(2, 6);
    expect(maxActivation(scales, 5)).toBeCloseTo(3, 6);
    expect(activationQuantile(scales, 5, 0.9)).toBeCloseTo(2.8, 6);
    expect(activationQuantile(scales, 5, 0.95)).toBeCloseTo(2.9, 6); // h = 0.95 * 10 = 9.5 -> (2.8 + 3.0) / 2
    expect(maxActivation(scales, 2)).toBe(0);
  });

  it('parses data units and resolves them to code values: +1typ adds the median, =1max sets the max, =p90 the 90th percentile', async () => {
    expect(parseEdit('5=+1typ')).toEqual({ target: 5, op: 'add', value: 1, unit: 'typical' });
    expect(parseEdit('beach=2max')).toEqual({ target: 'beach', op: 'set', value: 2, unit: 'max' });
    expect(parseEdit('beach-=0.5typ')).toEqual({ target: 'beach', op: 'add', value: -0.5, unit: 'typical' });
    expect(parseEdit('5=p90')).toEqual({ target: 5, op: 'set', value: 0.9, unit: 'quantile' });
    expect(() => parseEdit('5=*2typ')).toThrow(/scale factor has no unit/);
    expect(() => parseEdit('5=p120')).toThrow(/above 100/);
    const codes = await encodeRows(model, planted);
    const scales = latentScales(codes);
    const edits = resolveEdits([parseEdit('5=+1typ')], d, undefined, { scales });
    expect(edits[0].value).toBeCloseTo(2, 6);
    expect(edits[0].strength).toEqual({ amount: 1, unit: 'typical' });
    const out = await steer(model, planted, edits, { codes });
    // identity dictionary: x' = x + 2 e_5 on the rows where... every row (an add moves inactive rows too)
    for (let r = 0; r < planted.rows; r++) expect(out.data[r * d + 5] - planted.data[r * d + 5]).toBeCloseTo(2, 6);
    const set = resolveEdits([parseEdit('5=p90'), parseEdit('5=1max')], d, undefined, { scales });
    expect(set.map((e) => e.value)).toEqual([expect.closeTo(2.8, 6), expect.closeTo(3, 6)]);
    expect(() => resolveEdits([parseEdit('2=1typ')], d, undefined, { scales })).toThrow(/never fires/);
    expect(() => resolveEdits([parseEdit('5=1typ')], d)).toThrow(AnalysisError);
  });

  it('warns when an edit leaves the observed range, and only then', async () => {
    const codes = await encodeRows(model, planted);
    const scales = latentScales(codes);
    const inside = steeringRange(codes, resolveEdits([parseEdit('5=*0.5')], d, undefined, { scales }), scales);
    expect(rangeWarnings(inside, planted.rows)).toEqual([]);
    const far = steeringRange(codes, resolveEdits([parseEdit('5=+1max')], d, undefined, { scales }), scales);
    // z + 3 > 3 on the 11 active rows; the 2 inactive rows land exactly on the max
    expect(far[0]).toMatchObject({ latent: 5, activeRows: 11, changedRows: 13, aboveMax: 11, belowZero: 0 });
    expect(far[0].largestAfter).toBeCloseTo(6, 6);
    const lines = rangeWarnings(far, planted.rows);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/11 of 13 rows .* 2\.0 x its max.*outside the observed range/);
    const negative = steeringRange(codes, resolveEdits([parseEdit('5-=1typ')], d, undefined, { scales }), scales);
    expect(negative[0].belowZero).toBe(2 + 5); // z - 2 < 0: the two rows without latent 5 and z in {1, 1.2, 1.4, 1.6, 1.8}
    expect(rangeWarnings(negative, planted.rows)[0]).toMatch(/7 of 13 rows get a negative code/);
  });

  it('per-query effects: cosine to the original, concept similarity, classifier decision and neighbours before/after', async () => {
    const scales = latentScales(await encodeRows(model, planted));
    const x = rowsOf(d, [{ 0: 1 }]);
    const steered = await steer(model, x, resolveEdits([parseEdit('5=1max')], d, undefined, { scales }));
    // x = e0, x' = e0 + 3 e5: cos = 1 / sqrt(10)
    const head = zeroShotHead(rowsOf(d, [{ 0: 1 }, { 5: 1 }]), ['zero', 'five']);
    const t = new Float32Array(d);
    t[5] = 1;
    const [e] = await steeringEffects({ x, steered, direction: t, classifier: head, collection: planted, neighbours: 2 });
    expect(e.cosine).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(e.conceptBefore).toBeCloseTo(0, 6);
    expect(e.conceptAfter).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect([e.classBefore, e.classAfter]).toEqual([0, 1]);
    expect(e.neighboursBefore).toEqual([11, 0]); // e0 itself, then the row with 0.5 e0 + 1 e5
    expect(e.neighboursAfter).toEqual([3, 2]); // direction (1, 3) is nearest (0.5, 1.6) then (0.5, 1.4) in the (e0, e5) plane
    expect(e.neighboursKept).toBe(0);
  });
});
