/**
 * The API reference's examples: every "## API examples" block of the public packages' READMEs type-checks (tsc,
 * strict) against the built packages, and every exported function and class has one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { apiCoverage } from '../scripts/api-coverage.mjs';
import { apiPackages, DOCS, PACKAGES, publicPackages } from '../scripts/api-exports.mjs';
import { apiExampleBlocks, namesUsed, packageExamples, packageSummary, readmeSummary } from '../scripts/readme-examples.mjs';

/** `@msae/<pkg>[/<sub>]` -> the built declaration file of that export, for every package folder. */
function msaePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const folder of publicPackages()) {
    const pkg = JSON.parse(readFileSync(join(PACKAGES, folder, 'package.json'), 'utf8'));
    for (const [sub, target] of Object.entries<{ import?: { types?: string } }>(pkg.exports ?? {})) {
      if (target?.import?.types) paths[join(pkg.name, sub)] = [join(PACKAGES, folder, target.import.types)];
    }
  }
  return paths;
}

describe('README example extraction', () => {
  it('takes the ts blocks of the API examples section only and maps them to the names they import and use', () => {
    const readme = '# p\n\nFirst paragraph.\n\n```ts\nnot this\n```\n\n## API examples\n\n```ts\nimport { a, b, c as d } from \'@msae/p\';\nimport { e } from \'@msae/q\';\na(); d(e);\n```\n\n## Later\n\n```ts\nnot this either\n```\n';
    const blocks = apiExampleBlocks(readme);
    expect(blocks).toHaveLength(1);
    expect([...namesUsed(blocks[0], '@msae/p')].sort()).toEqual(['a', 'c']);
    expect(readmeSummary(readme)).toBe('First paragraph.');
  });
});

describe('API examples', () => {
  const examples = publicPackages().flatMap((pkg) => packageExamples(pkg));

  it('every exported function and class of the public packages has a README example', () => {
    const { total, covered, missing } = apiCoverage();
    console.log(`api coverage: ${covered} of ${total}`);
    expect(missing, `without an example:\n${missing.join('\n')}`).toEqual([]);
    expect(total).toBeGreaterThan(100);
  });

  it('every example type-checks against the built packages (tsc, strict)', () => {
    const dir = join(DOCS, 'node_modules', '.cache', 'api-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = examples.map(({ pkg, index, code }) => {
      const file = join(dir, `${pkg}-${index}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      typeRoots: [join(DOCS, 'node_modules', '@types')],
      paths: msaePaths(),
    };
    const program = ts.createProgram(files, options);
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${d.file!.fileName.slice(dir.length + 1)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(examples.length).toBeGreaterThan(0);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

const API = join(DOCS, 'api', '@msae');
describe.skipIf(!existsSync(API) && !process.env.CI)('the built API reference (after typedoc and api-examples.mjs)', () => {
  it('each package page starts with its summary and every function and class page shows a README example', () => {
    const without: string[] = [];
    for (const pkg of apiPackages()) {
      const index = readFileSync(join(API, pkg, 'index.md'), 'utf8');
      const summary = packageSummary(pkg);
      expect(summary.length, pkg).toBeGreaterThan(40);
      // the summary is the first text under the title
      expect(index.split(/^# .*$/m)[1].trimStart().startsWith(summary), pkg).toBe(true);
      for (const kind of ['functions', 'classes']) {
        const dir = join(API, pkg, kind);
        for (const file of existsSync(dir) ? readdirSync(dir) : []) {
          if (!/^## Example/m.test(readFileSync(join(dir, file), 'utf8'))) without.push(`${pkg}/${kind}/${file}`);
        }
      }
    }
    expect(without).toEqual([]);
  });
});
