/**
 * The playground's heavy libraries, one dynamic import away from the pages: VitePress preloads a page's
 * direct dynamic imports, so pages import THIS module on demand and it imports the libraries, which are
 * then fetched only when a view needs them (vega when a plot is drawn, transformers.js when CLIP runs).
 */
export const loadVegaEmbed = async () => (await import('vega-embed')).default;
export const loadClip = () => import('@msae/clip/browser');
/** transformers.js' settings object (the one @msae/clip's loader uses): a picked model folder answers its cache lookups. */
export const loadTransformersEnv = async () => (await import('@huggingface/transformers')).env as unknown as import('./local-model-folder.js').TransformersCacheEnv;
