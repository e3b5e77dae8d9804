import { describe, expect, it } from 'vitest';
import { type Column, fixed, formatTable } from '../src/index.js';

interface Row {
  name: string;
  k: number;
  fvu: number;
}
const columns: Column<Row>[] = [
  { header: 'name', align: 'left', cell: (r) => r.name },
  { header: 'k', cell: (r) => String(r.k) },
  { header: 'FVU', cell: (r) => fixed(r.fvu, 3) },
];
const rows: Row[] = [
  { name: 'msae-rw', k: 64, fvu: 0.08851 },
  { name: 'topk', k: 4096, fvu: Number.NaN },
];

describe('formatTable', () => {
  it('markdown: header, alignment rule, one line per row', () => {
    expect(formatTable(columns, rows)).toBe(
      ['| name | k | FVU |', '| --- | ---: | ---: |', '| msae-rw | 64 | 0.089 |', '| topk | 4096 | NaN |'].join('\n'),
    );
  });

  it('plain: padded columns two spaces apart, left columns padded right', () => {
    expect(formatTable(columns, rows, 'plain')).toBe(['name        k    FVU', 'msae-rw    64  0.089', 'topk     4096    NaN'].join('\n'));
  });

  it('no rows: the header alone', () => {
    expect(formatTable(columns, [], 'plain')).toBe('name  k  FVU');
    expect(formatTable(columns, []).split('\n')).toHaveLength(2);
  });
});
