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

describe('evalRecordColumns', () => {
  it('renders the shared evaluation columns of one record', async () => {
    const { evalRecordColumns } = await import('../src/eval-record-columns.js');
    const record = { k: 64, l0: 63.95, fvu: 0.08851, fvuGlobal: 0.1, cosine: 0.95449, nmae: 0.2, sparsity: 0.984375, deadLatents: 7, cknna: 0.51234 };
    const lines = formatTable(evalRecordColumns<typeof record>(), [record]).split('\n');
    expect(lines[0]).toBe('| k | L0 | FVU | FVU global | cosine | NMAE | sparsity | dead | CKNNA |');
    expect(lines[2]).toBe('| 64 | 64.0 | 0.0885 | 0.1000 | 0.9545 | 0.2000 | 0.9844 | 7 | 0.5123 |');
  });
});
