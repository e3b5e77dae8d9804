// The README examples the consumer test runs: a fenced ts/js block right after the marker line
// `<!-- consumer-test: run -->` (type-checked and run with node) or `<!-- consumer-test: types -->` (type-checked
// only: it needs an optional peer or a model file the test does not install). The block is used as written, so a
// README that drifts from the packed API fails the test.
import { readFileSync } from 'node:fs';

const MARKER = /^<!--\s*consumer-test:\s*(run|types)\s*-->\s*$/;
const FENCE = /^```(ts|js|typescript|javascript)\s*$/;

/** The marked blocks of one README: { mode: 'run' | 'types', code, line }. */
export function readmeExamples(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i].trim());
    if (!marker) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (!FENCE.test(lines[j] ?? '')) throw new Error(`${file}:${i + 1}: consumer-test marker not followed by a ts/js code block`);
    const end = lines.findIndex((l, k) => k > j && l.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${j + 1}: unterminated code block`);
    found.push({ mode: marker[1], code: `${lines.slice(j + 1, end).join('\n')}\n`, line: j + 2 });
  }
  return found;
}

/** Problems a README has on the registry page: relative links (npm shows them broken) and no npm install line. */
export function readmeProblems(name, text) {
  const problems = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)[^)]*\)/g)) {
    if (!/^(https?:|mailto:|#)/.test(m[1])) problems.push(`relative link ${m[1]}`);
  }
  if (!text.includes(`npm install ${name}`)) problems.push(`no "npm install ${name}" line`);
  return problems;
}
