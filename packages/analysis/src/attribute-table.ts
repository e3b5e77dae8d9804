import { parse } from 'csv-parse/sync';
import { AttributeTableError } from './errors.js';

/** Per-row attributes: ids and one column per attribute name (numbers when every value parses, else text). */
export interface AttributeTable {
  ids: string[];
  names: string[];
  columns: Map<string, (number | string)[]>;
}

const ID_COLUMNS = new Set(['id', 'image', 'image_id', 'file', 'filename', 'path', 'name']);

/**
 * CelebA's list_attr_celeba.txt layout: line 1 the row count, line 2 the attribute names, then rows
 * "000001.jpg -1 1 1 ..." (whitespace separated; values 1 / -1).
 */
export function parseCelebaAttributes(text: string, source = 'attribute file'): AttributeTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new AttributeTableError(`${source}: expected a count line and a header line`);
  const count = Number(lines[0].trim());
  if (!Number.isInteger(count) || count < 0) throw new AttributeTableError(`${source}: line 1 should be the row count, got "${lines[0].trim().slice(0, 40)}"`);
  const names = lines[1].trim().split(/\s+/);
  const body = lines.slice(2);
  if (body.length !== count) throw new AttributeTableError(`${source}: line 1 says ${count} rows but the file has ${body.length}`);
  const columns = new Map<string, number[]>(names.map((n) => [n, new Array<number>(count)]));
  const ids: string[] = new Array(count);
  body.forEach((line, r) => {
    const cells = line.trim().split(/\s+/);
    const offset = 1; // the image name, then one value per attribute
    if (cells.length !== names.length + 1) throw new AttributeTableError(`${source}: row ${r + 1} has ${cells.length} fields, expected ${names.length + 1} (image + ${names.length} attributes)`);
    ids[r] = cells[0];
    names.forEach((n, c) => {
      const v = Number(cells[c + offset]);
      if (!Number.isFinite(v)) throw new AttributeTableError(`${source}: row ${r + 1}, attribute ${n}: "${cells[c + offset]}" is not a number`);
      columns.get(n)![r] = v;
    });
  });
  return { ids, names, columns };
}

/** CSV with a header; an id-like first column (id, image, file, ...) gives the row ids. */
export function parseCsvAttributes(text: string, source = 'attribute file'): AttributeTable {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new AttributeTableError(`${source}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (records.length < 1) throw new AttributeTableError(`${source}: no header line`);
  const [header, ...rows] = records;
  const hasId = ID_COLUMNS.has(header[0].toLowerCase());
  const names = hasId ? header.slice(1) : header;
  const ids = rows.map((row, r) => (hasId ? row[0] : String(r)));
  const columns = new Map<string, (number | string)[]>();
  names.forEach((n, c) => {
    const raw = rows.map((row) => row[c + (hasId ? 1 : 0)]);
    const numeric = raw.every((v) => v !== '' && Number.isFinite(Number(v)));
    columns.set(n, numeric ? raw.map(Number) : raw);
  });
  return { ids, names, columns };
}

/** Parse by layout: CelebA when the first line is a bare integer, CSV otherwise. */
export function parseAttributeTable(text: string, source = 'attribute file'): AttributeTable {
  const first = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  return /^\d+$/.test(first) ? parseCelebaAttributes(text, source) : parseCsvAttributes(text, source);
}

/**
 * A binary attribute as 0/1 per row. "NAME" takes numeric values > 0 as 1 (CelebA's 1 / -1, or 0/1);
 * "NAME=VALUE" is 1 where the attribute equals VALUE (for text attributes such as a source label).
 */
export function binaryAttribute(table: AttributeTable, spec: string, source = 'attribute file'): { name: string; values: Uint8Array } {
  const eq = spec.indexOf('=');
  const name = eq >= 0 ? spec.slice(0, eq) : spec;
  const column = table.columns.get(name);
  if (!column) {
    const shown = table.names.slice(0, 8).join(', ') + (table.names.length > 8 ? ', ...' : '');
    throw new AttributeTableError(`${source}: unknown attribute "${name}" (has ${shown})`);
  }
  if (eq >= 0) {
    const value = spec.slice(eq + 1);
    const values = Uint8Array.from(column, (v) => (String(v) === value ? 1 : 0));
    if (!values.includes(1)) throw new AttributeTableError(`${source}: attribute "${name}" never equals "${value}"`);
    return { name: spec, values };
  }
  if (column.some((v) => typeof v !== 'number')) throw new AttributeTableError(`${source}: attribute "${name}" is not numeric; use ${name}=VALUE`);
  return { name, values: Uint8Array.from(column as number[], (v) => (v > 0 ? 1 : 0)) };
}
