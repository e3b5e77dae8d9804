// The exported functions and classes of each package in the API reference (typedoc.json's entry points),
// read from the package's built root declaration file (dist/index.d.ts). Subpaths (`/internal`, `/testing`,
// `/browser`, ...) are not the documented API and are left out.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGES = resolve(DOCS, '..', '..', 'packages');

/** The package folder names in the API reference, in typedoc.json's order. */
export function apiPackages() {
  const config = JSON.parse(readFileSync(join(DOCS, 'typedoc.json'), 'utf8'));
  return config.entryPoints.map((entry) => basename(entry));
}

/** The root declaration file of a package's "." export (import condition). */
function rootTypes(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const root = pkg.exports?.['.'];
  const types = root?.import?.types ?? root?.types ?? pkg.types ?? 'dist/index.d.ts';
  return join(dir, types);
}

/** Exported function and class names of one package: { functions: string[], classes: string[] }, sorted. */
export function packageExports(folder) {
  const file = rootTypes(join(PACKAGES, folder));
  if (!existsSync(file)) throw new Error(`${file} is missing: build the package first (turbo run build)`);
  const options = { skipLibCheck: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const program = ts.createProgram([file], options);
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file));
  const functions = [];
  const classes = [];
  for (const exported of module ? checker.getExportsOfModule(module) : []) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (symbol.flags & ts.SymbolFlags.Class) classes.push(exported.name);
    else if (symbol.flags & ts.SymbolFlags.Function) functions.push(exported.name);
  }
  return { functions: functions.sort(), classes: classes.sort() };
}

/** Every documented name: [{ pkg, name, kind }] over all API packages. */
export function allExports() {
  return apiPackages().flatMap((pkg) => {
    const { functions, classes } = packageExports(pkg);
    return [...functions.map((name) => ({ pkg, name, kind: 'function' })), ...classes.map((name) => ({ pkg, name, kind: 'class' }))];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const pkg of apiPackages()) {
    const { functions, classes } = packageExports(pkg);
    console.log(`${pkg}: ${functions.length} functions, ${classes.length} classes`);
    if (process.argv.includes('--names')) console.log(`  ${[...functions, ...classes].join(' ')}`);
  }
}
