/** This package's browser test page: page-entry.ts bundled, served with the fixture model and onnxruntime-web's files. */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, CORE_SOURCES, sourceAliases, startPageServer, type PageServer } from '@msae/test-support';

/** packages/clip (override when this file is bundled elsewhere, e.g. by scripts/embed-throughput.ts). */
const defaultClipRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** onnxruntime-web's dist folder, as resolved from the transformers.js that the package uses. */
export function ortWebDist(clipRoot = defaultClipRoot): string {
  const transformersMain = createRequire(import.meta.url).resolve('@huggingface/transformers', { paths: [clipRoot] });
  const ortMain = createRequire(transformersMain).resolve('onnxruntime-web');
  return join(ortMain.slice(0, ortMain.lastIndexOf(`${sep}dist${sep}`)), 'dist');
}

/** Serve the page, `/models/<name>/...` from `modelsRoot` and `/ort/...` from onnxruntime-web/dist. */
export async function startClipPage(modelsRoot: string, clipRoot = defaultClipRoot): Promise<PageServer> {
  const entry = join(clipRoot, 'test', 'models', 'browser', 'page-entry.ts');
  const { code } = await bundleForBrowser(entry, { alias: sourceAliases(join(clipRoot, '..'), CORE_SOURCES) });
  return startPageServer({ bundle: code, title: 'msae clip test', routes: [{ prefix: 'models', dir: modelsRoot }, { prefix: 'ort', dir: ortWebDist(clipRoot) }] });
}
