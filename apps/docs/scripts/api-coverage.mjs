// Which exported functions and classes of the public packages have no README example (`## API examples`).
// Prints "N of M" and the names without one; exits 1 when some are missing and --strict is given.
import { fileURLToPath } from 'node:url';
import { allExports } from './api-exports.mjs';
import { packageExamples } from './readme-examples.mjs';

/** { total, covered, missing: ['pkg/name'] } over every public package. */
export function apiCoverage() {
  const exports = allExports();
  const used = new Map();
  const missing = [];
  for (const { pkg, name } of exports) {
    if (!used.has(pkg)) used.set(pkg, new Set(packageExamples(pkg).flatMap((e) => [...e.names])));
    if (!used.get(pkg).has(name)) missing.push(`${pkg}/${name}`);
  }
  return { total: exports.length, covered: exports.length - missing.length, missing };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { total, covered, missing } = apiCoverage();
  console.log(`api coverage: ${covered} of ${total} exported functions and classes have an example`);
  if (missing.length) console.log(`without an example:\n${missing.join('\n')}`);
  if (process.argv.includes('--strict') && missing.length) process.exit(1);
}
