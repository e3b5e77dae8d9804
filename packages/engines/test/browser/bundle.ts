/** Test helper: bundle an entry for the browser with esbuild, failing on anything Node-only. */
import { build, type Metafile, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..');

const BUILTINS = new Set(builtinModules);

/**
 * Fails the build on every import (static or literal dynamic) of `node:*`, of @msae/backend-cpu, or of
 * a bare Node built-in that the importing package's `browser` field does not map away (as tfjs-backend-wasm's
 * emscripten glue maps `fs`, `path`, `worker_threads` to nothing), naming the importer.
 */
const browserOnly: Plugin = {
  name: 'browser-only',
  setup(b) {
    const refuse = (path: string, importer: string) => ({
      errors: [{ text: `'${path}' imported by ${importer} is not allowed in a browser bundle` }],
    });
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'browser-only:inner') return undefined;
      if (args.path.startsWith('node:') || args.path === '@msae/backend-cpu' || args.path.startsWith('@msae/backend-cpu/')) {
        return refuse(args.path, args.importer);
      }
      if (!BUILTINS.has(args.path.split('/')[0])) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'browser-only:inner',
      });
      return resolved.errors.length > 0 ? refuse(args.path, args.importer) : undefined;
    });
  },
};

export interface BrowserBundle {
  code: string;
  metafile: Metafile;
}

/**
 * Bundle `entry` (ESM, platform browser) against the sources of @msae/core, @msae/backend-tfjs and
 * @msae/backend-webgpu, or
 * `{ contents, resolveDir }` (an importer's code) against what package.json `exports` resolve to.
 */
export async function bundleForBrowser(entry: string | { contents: string; resolveDir: string }): Promise<BrowserBundle> {
  const fromSource = typeof entry === 'string';
  const result = await build({
    ...(fromSource ? { entryPoints: [entry] } : { stdin: { ...entry, loader: 'ts' as const } }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [browserOnly],
    alias: fromSource
      ? {
          '@msae/core': join(packages, 'core', 'src', 'index.ts'),
          '@msae/backend-tfjs': join(packages, 'backend-tfjs', 'src', 'index.ts'),
          '@msae/backend-webgpu': join(packages, 'backend-webgpu', 'src', 'index.ts'),
        }
      : {},
  });
  if (!result.outputFiles || !result.metafile) throw new Error('esbuild returned no output (write: false, metafile: true)');
  return { code: result.outputFiles[0].text, metafile: result.metafile };
}

export const PACKAGE_DIR = resolve(here, '..', '..');
export const BROWSER_ENTRY = join(here, '..', '..', 'src', 'browser.ts');
export const NODE_ENTRY = join(here, '..', '..', 'src', 'index.ts');
export const PAGE_ENTRY = join(here, 'page-entry.ts');
