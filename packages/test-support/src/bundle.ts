/** Bundle a test page for the browser with esbuild (platform 'browser': a Node built-in import fails the build). */
import { build, type Metafile, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const BUILTINS = new Set(builtinModules);

/**
 * Fails the build on every import (static or literal dynamic) of `node:*`, of @msae/backend-cpu, or of a bare Node
 * built-in that the importing package's `browser` field does not map away (as tfjs-backend-wasm's emscripten glue
 * maps `fs`, `path`, `worker_threads` to nothing), naming the importer.
 */
export const browserOnly: Plugin = {
  name: 'browser-only',
  setup(b) {
    const refuse = (path: string, importer: string) => ({ errors: [{ text: `'${path}' imported by ${importer} is not allowed in a browser bundle` }] });
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'browser-only:inner') return undefined;
      if (args.path.startsWith('node:') || args.path === '@msae/backend-cpu' || args.path.startsWith('@msae/backend-cpu/')) return refuse(args.path, args.importer);
      if (!BUILTINS.has(args.path.split('/')[0])) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'browser-only:inner' });
      return resolved.errors.length > 0 ? refuse(args.path, args.importer) : undefined;
    });
  },
};

/** @msae/core's entry points as sources, relative to packages/ (the subpaths first: esbuild also maps subpaths of an alias). */
export const CORE_SOURCES: Record<string, string> = {
  '@msae/core/conformance': 'core/src/conformance/index.ts',
  '@msae/core/internal': 'core/src/internal.ts',
  '@msae/core': 'core/src/index.ts',
};

/**
 * esbuild aliases that point package specifiers at workspace sources (so a test never sees a stale build):
 * `{ '@msae/core': 'core/src/index.ts' }` relative to `packagesDir`.
 */
export function sourceAliases(packagesDir: string, map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([spec, file]) => [spec, join(packagesDir, file)]));
}

export interface BundleOptions {
  alias?: Record<string, string>;
  /** Refuse Node-only imports with a message naming the importer (plain esbuild already fails on most). */
  strict?: boolean;
  external?: string[];
}

export interface BrowserBundle {
  code: string;
  metafile: Metafile;
}

/** Bundle `entry` (a file, or `{ contents, resolveDir }` TypeScript) as one ESM script for the browser. */
export async function bundleForBrowser(entry: string | { contents: string; resolveDir: string }, options: BundleOptions = {}): Promise<BrowserBundle> {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { ...entry, loader: 'ts' as const } }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: options.strict ? [browserOnly] : [],
    alias: options.alias ?? {},
    external: options.external ?? [],
  });
  if (!result.outputFiles || !result.metafile) throw new Error('esbuild returned no output (write: false, metafile: true)');
  return { code: result.outputFiles[0].text, metafile: result.metafile };
}
