// Type-checked (never run) by the consumer test under `strict` against the packed .d.ts files, with node16 and
// bundler resolution, and without any optional peer installed: the public types must not need them.
import { loadLance, MissingDependencyError, type LanceHit } from '@msae/analysis';
import { createCpuEngine } from '@msae/backend-cpu';
import { createTfjsEngine, type TfjsBackendName } from '@msae/backend-tfjs';
import { createWebGpuEngine, WebGpuUnavailableError } from '@msae/backend-webgpu';
import { ClipRuntimeMissingError, embedTexts, type EmbeddingResult } from '@msae/clip';
import { loadShippedVocabulary, nameLatents, type NamingResult } from '@msae/concepts';
import { MsaeError, resolveConfig, type Matrix, type SaeConfig, type SaeEngine } from '@msae/core';
import { createEngine, type EngineName } from '@msae/engines';
import { readEmbeddings, saveCheckpoint } from '@msae/io';
import { fvu } from '@msae/metrics';

const config: SaeConfig = resolveConfig({ dIn: 16, architecture: 'msae', expansion: 2, k: 4 });
const engineName: EngineName = 'reference';
const backend: TfjsBackendName = 'cpu';

export async function typesOnly(): Promise<number> {
  const engine: SaeEngine = await createEngine(engineName);
  await engine.dispose();
  const lance: { readonly lancedb: unknown } = await loadLance();
  const hits: LanceHit[] = [];
  const errors: Error[] = [new MissingDependencyError('x', 'y'), new ClipRuntimeMissingError('z'), new MsaeError('a', 'b')];
  const texts: EmbeddingResult = await embedTexts(['a dog'], { model: 'Xenova/clip-vit-base-patch32' });
  const vocabulary = await loadShippedVocabulary('clip-vit-b32-detic-1592');
  const named: NamingResult | undefined = undefined;
  const x: Matrix = await readEmbeddings('x.npy');
  void [
    saveCheckpoint,
    createCpuEngine,
    createTfjsEngine,
    createWebGpuEngine,
    WebGpuUnavailableError,
    nameLatents,
    vocabulary,
    lance,
    hits,
    errors,
    named,
    backend,
    texts,
  ];
  return fvu(x, x) + config.dSae;
}
