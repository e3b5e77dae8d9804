// The exported functions and classes of each public package (and which of them the API reference shows:
// typedoc.json's entry points), read from the package's built root declaration file (dist/index.d.ts). Subpaths (`/internal`, `/testing`,
// `/browser`, ...) are not the documented API and are left out.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Exported functions and classes of each package folder, from one TypeScript program over their root .d.ts files. */
function exportsOf(folders) {
  const files = folders.map((folder) => rootTypes(join(PACKAGES, folder)));
  for (const file of files) if (!existsSync(file)) throw new Error(`${file} is missing: build the package first (turbo run build)`);
  // bundler resolution: the .d.ts files re-export from other packages' subpaths (package.json "exports")
  const options = { skipLibCheck: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  return folders.map((pkg, i) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(files[i]));
    const functions = [];
    const classes = [];
    for (const exported of module ? checker.getExportsOfModule(module) : []) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (symbol.flags & ts.SymbolFlags.Class) classes.push(exported.name);
      else if (symbol.flags & ts.SymbolFlags.Function) functions.push(exported.name);
    }
    return { pkg, functions: functions.sort(), classes: classes.sort() };
  });
}

/** Exported function and class names of one package: { functions: string[], classes: string[] }, sorted. */
export function packageExports(folder) {
  const [{ functions, classes }] = exportsOf([folder]);
  return { functions, classes };
}

/**
 * Every public (not private) package folder: the API reference's packages plus the engines it leaves out to keep
 * the site light (backend-cpu, backend-wasm, backend-webgpu: reached through @msae/engines). Their README
 * examples are checked the same way.
 */
export function publicPackages() {
  return readdirSync(PACKAGES)
    .filter((folder) => existsSync(join(PACKAGES, folder, 'package.json')))
    .filter((folder) => !JSON.parse(readFileSync(join(PACKAGES, folder, 'package.json'), 'utf8')).private)
    .sort();
}

/** Every exported function and class: [{ pkg, name, kind }] over the given package folders (default: all public). */
export function allExports(folders = publicPackages()) {
  return exportsOf(folders).flatMap(({ pkg, functions, classes }) => {
    return [...functions.map((name) => ({ pkg, name, kind: 'function' })), ...classes.map((name) => ({ pkg, name, kind: 'class' }))];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shown = new Set(apiPackages());
  for (const { pkg, functions, classes } of exportsOf(publicPackages())) {
    console.log(`${pkg}: ${functions.length} functions, ${classes.length} classes${shown.has(pkg) ? '' : ' (not in the API reference)'}`);
    if (process.argv.includes('--names')) console.log(`  ${[...functions, ...classes].join(' ')}`);
  }
}
