/** One column of a table: its header, alignment, and how a row's cell is written. */
export interface Column<R> {
  header: string;
  /** Default 'right' (numbers). */
  align?: 'left' | 'right';
  cell: (row: R) => string;
}

export type TableStyle = 'markdown' | 'plain';

/**
 * The one table writer of the CLIs. `markdown`: `| a | b |` rows under a `| --- | ---: |` rule (GitHub
 * alignment); `plain`: columns padded to their widest cell, two spaces apart (terminals). Add a column by
 * adding an entry to `columns`.
 */
export function formatTable<R>(columns: readonly Column<R>[], rows: readonly R[], style: TableStyle = 'markdown'): string {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const headers = columns.map((c) => c.header);
  if (style === 'markdown') {
    const rule = columns.map((c) => ((c.align ?? 'right') === 'right' ? '---:' : '---'));
    return [headers, rule, ...cells].map((line) => `| ${line.join(' | ')} |`).join('\n');
  }
  const width = columns.map((_, i) => Math.max(headers[i].length, ...cells.map((line) => line[i].length)));
  const pad = (line: string[]) =>
    line
      .map((v, i) => ((columns[i].align ?? 'right') === 'left' ? v.padEnd(width[i]) : v.padStart(width[i])))
      .join('  ')
      .trimEnd();
  return [headers, ...cells].map(pad).join('\n');
}

/** `v.toFixed(digits)`, or `String(v)` for NaN and infinities. */
export function fixed(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}
