// The examples of the API reference: the fenced TypeScript blocks under a "## API examples" heading of each
// package README, each mapped to the exported names of its package that it imports and uses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from './api-exports.mjs';

export const HEADING = '## API examples';

/** The README's first paragraph of prose (after the title): the package page's summary. */
export function readmeSummary(readme) {
  const blocks = readme.replace(/```[\s\S]*?```/g, '').split(/\n\s*\n/);
  const prose = blocks.map((b) => b.trim()).find((b) => b && !b.startsWith('#') && !b.startsWith('<') && !b.startsWith('|') && !b.startsWith('['));
  return prose ?? '';
}

/** The fenced ts blocks of the "## API examples" section (up to the next level-2 heading). */
export function apiExampleBlocks(readme) {
  const start = readme.indexOf(`\n${HEADING}\n`);
  if (start < 0) return [];
  const rest = readme.slice(start + HEADING.length + 2);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1].trimEnd());
}

/** Names imported from `from` (e.g. '@msae/core') in a block and used again after the imports. */
export function namesUsed(block, from) {
  const names = new Set();
  const imports = [...block.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)];
  const body = block.replace(/import\s*(?:type\s*)?\{[^}]*\}\s*from\s*'[^']+';?/g, '');
  for (const [, list, source] of imports) {
    if (source !== from) continue;
    for (const spec of list.split(',')) {
      const name = spec.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      const local = spec.trim().split(/\s+as\s+/).pop();
      if (name && new RegExp(`\\b${local}\\b`).test(body)) names.add(name);
    }
  }
  return names;
}

/** Every API example of one package folder: [{ pkg, index, code, names }]. */
export function packageExamples(pkg) {
  const path = join(PACKAGES, pkg, 'README.md');
  if (!existsSync(path)) return [];
  const { name } = JSON.parse(readFileSync(join(PACKAGES, pkg, 'package.json'), 'utf8'));
  return apiExampleBlocks(readFileSync(path, 'utf8')).map((code, index) => ({ pkg, index, code, names: namesUsed(code, name) }));
}

/** The package's summary: the README's first paragraph, else its package.json description. */
export function packageSummary(pkg) {
  const path = join(PACKAGES, pkg, 'README.md');
  const fromReadme = existsSync(path) ? readmeSummary(readFileSync(path, 'utf8')) : '';
  return fromReadme || JSON.parse(readFileSync(join(PACKAGES, pkg, 'package.json'), 'utf8')).description || '';
}
