// After typedoc: every package page of the API reference starts with the package's summary (the first paragraph
// of its README), and every exported function/class page ends with the shortest README "## API examples" block
// that uses it. Code is shown as plain text (shiki's per-token spans made a class page ~46 KB of HTML).
// Prints how many functions/classes have an example; MSAE_API_MISSING=1 lists the others.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiPackages, DOCS } from './api-exports.mjs';
import { packageExamples, packageSummary } from './readme-examples.mjs';

const api = join(DOCS, 'api', '@msae');
const DONE = '<!-- api examples -->';

/** Every .md file under a folder. */
function pages(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
}

/** A fenced block shown as plain text (a ``` inside the code would end it early: use a longer fence then). */
function plain(code) {
  const fence = code.includes('```') ? '````' : '```';
  return `${fence}text\n${code}\n${fence}`;
}

let withExample = 0;
let total = 0;
const missing = [];
for (const pkg of existsSync(api) ? apiPackages() : []) {
  const dir = join(api, pkg);
  if (!existsSync(dir)) continue;
  const examples = packageExamples(pkg);
  for (const path of pages(dir)) {
    let text = readFileSync(path, 'utf8');
    const isEntry = /[/\\](functions|classes)[/\\][^/\\]+\.md$/.test(path);
    if (text.includes(DONE)) {
      // already done by an earlier run: count it
      if (isEntry) {
        total++;
        if (/^## Example/m.test(text)) withExample++;
        else missing.push(path);
      }
      continue;
    }
    text = text.replaceAll('```ts\n', '```text\n').trimEnd();
    if (path === join(dir, 'index.md')) {
      // the summary goes right under the page title
      text = text.replace(/^(# .*\n)/m, `$1\n${packageSummary(pkg)}\n`);
    } else if (isEntry) {
      const name = path.replace(/^.*[/\\]/, '').replace(/\.md$/, '');
      total++;
      const uses = examples.filter((e) => e.names.has(name)).sort((a, b) => a.code.length - b.code.length);
      if (uses.length === 0) missing.push(`${pkg}/${name}`);
      else {
        withExample++;
        const heading = /^#+ Example/m.test(text) ? '## Example from the package README' : '## Example';
        text += `\n\n${heading}\n\n${plain(uses[0].code)}`;
      }
    }
    writeFileSync(path, `${text}\n\n${DONE}\n`);
  }
}
console.log(`api examples: ${withExample} of ${total} functions and classes have an example (${missing.length} without)`);
if (process.env.MSAE_API_MISSING) console.log(missing.join('\n'));
