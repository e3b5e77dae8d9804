// After typedoc: give every package page of the API reference a summary (its package.json description and
// the README's first example) and every exported function/class page the README examples that use it.
// Prints how many functions/classes have an example.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const api = join(docs, 'api', '@msae');
const packages = join(docs, '..', '..', 'packages');

/** The fenced TypeScript/JavaScript blocks of a README, at most 30 lines each (an API page stays under 40 KB). */
function codeBlocks(readme) {
  return [...readme.matchAll(/```(ts|typescript|js|javascript|mjs)\n([\s\S]*?)```/g)].map((m) => m[2].trimEnd()).filter((b) => b.split('\n').length <= 30);
}

let withExample = 0;
let total = 0;
const missing = [];
// API pages show code as plain text: shiki's per-token spans made a class page with ten methods and an example ~46 KB of HTML
const PLAIN = '<!-- plain signatures -->';
function plainSignatures(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) plainSignatures(path);
    else if (entry.name.endsWith('.md')) {
      const text = readFileSync(path, 'utf8');
      if (!text.includes(PLAIN)) writeFileSync(path, `${text.replaceAll('```ts\n', '```text\n').trimEnd()}\n\n${PLAIN}\n`);
    }
  }
}
if (existsSync(api)) plainSignatures(api);

for (const pkg of existsSync(api) ? readdirSync(api) : []) {
  const pkgJson = join(packages, pkg, 'package.json');
  if (!existsSync(pkgJson)) continue;
  const { description = '' } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  const readmePath = join(packages, pkg, 'README.md');
  const blocks = existsSync(readmePath) ? codeBlocks(readFileSync(readmePath, 'utf8')) : [];
  const index = join(api, pkg, 'index.md');
  const page = readFileSync(index, 'utf8');
  if (!page.includes('<!-- summary -->')) {
    const summary = [`<!-- summary -->`, description, '', blocks[0] ? `\`\`\`text\n${blocks[0]}\n\`\`\`\n` : ''].join('\n');
    writeFileSync(index, page.replace(/^(# .*\n)/m, `$1\n${summary}\n`));
  }
  for (const kind of ['functions', 'classes']) {
    const dir = join(api, pkg, kind);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const name = file.replace(/\.md$/, '');
      total++;
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      if (/^#+ Example/m.test(text)) {
        withExample++;
        continue;
      }
      const word = new RegExp(`\\b${name}\\b`);
      const uses = blocks.filter((b) => word.test(b)).sort((a, b) => a.length - b.length);
      if (uses.length === 0) {
        missing.push(`${pkg}/${name}`);
        continue;
      }
      withExample++;
      writeFileSync(path, `${text.trimEnd()}\n\n## Example\n\nFrom the package README:\n\n\`\`\`text\n${uses[0]}\n\`\`\`\n`);
    }
  }
}
console.log(`api examples: ${withExample} of ${total} functions and classes have an example (${missing.length} without)`);
if (process.env.MSAE_API_MISSING) console.log(missing.join('\n'));
