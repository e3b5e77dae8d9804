/**
 * The playground's heavy libraries, one dynamic import away from the pages: VitePress preloads a page's
 * direct dynamic imports, so pages import THIS module on demand and it imports the libraries, which are
 * then fetched only when a view needs them (vega when a plot is drawn, transformers.js when CLIP runs).
 */
export const loadVegaEmbed = async () => (await import('vega-embed')).default;
export const loadClip = () => import('@msae/clip/browser');
