import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

/**
 * The API sidebar: one link per package (from typedoc-vitepress-theme's sidebar file). Each package page
 * lists its members; a sidebar of all ~500 members would be inlined into every page (270 KB each).
 */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
  const full = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DefaultTheme.SidebarItem[]) : [];
  return full.map((p) => ({ text: p.text, link: p.link }));
}

/** COOP/COEP: a cross-origin isolated page may use SharedArrayBuffer (WebAssembly threads: tfjs-wasm, onnxruntime-web). */
const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  title: 'msae',
  description: 'Matryoshka sparse autoencoders for CLIP embeddings, in TypeScript, for Node and the browser',
  cleanUrls: false,
  // MSAE_DOCS_OUT: build somewhere else (e.g. to test while another build writes the default folder).
  outDir: process.env.MSAE_DOCS_OUT ?? '.vitepress/dist',
  cacheDir: process.env.MSAE_DOCS_OUT ? `${process.env.MSAE_DOCS_OUT}-cache` : '.vitepress/cache',
  srcExclude: ['public/**', 'test/**', 'README.md'],
  lastUpdated: false,
  // The page-hash map goes to its own cacheable chunk instead of being inlined in each of the ~500 pages.
  metaChunk: true,
  // MSAE_DOCS_QUICK: a quick local build without the API reference (its links then go nowhere).
  ignoreDeadLinks: !!process.env.MSAE_DOCS_QUICK,
  // No request leaves the visitor's machine unless they ask for it (the Hugging Face model on "Your photos").
  head: [
    ['meta', { name: 'color-scheme', content: 'light dark' }],
    // Static hosts that cannot set COOP/COEP: coi-serviceworker adds them (one reload on the first visit), so the
    // page is cross-origin isolated (SharedArrayBuffer: WebAssembly threads). Skipped on localhost, where the dev
    // and preview servers send the headers themselves (CROSS_ORIGIN_ISOLATION below).
    ['script', {}, 'window.coi = { shouldRegister: () => !/^(localhost|127\\.0\\.0\\.1)$/.test(location.hostname) };'],
    ['script', { src: '/coi-serviceworker.js' }],
  ],
  themeConfig: {
    search: {
      provider: 'local',
      options: {
        // API pages are indexed by their titles and headings only (their full text would weigh ~1 MB).
        async _render(src, env, md) {
          const html = md.render(src, env);
          if ((env.frontmatter as { search?: boolean } | undefined)?.search === false) return '';
          if (!env.relativePath.startsWith('api/')) return html;
          return (html.match(/<h[1-3][^>]*>[\s\S]*?<\/h[1-3]>/g) ?? []).join('\n');
        },
      },
    },
    nav: [
      { text: 'Guide', link: '/guide/quick-start' },
      { text: 'Playground', link: '/playground/' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: {
      '/guide/': [
        {
          text: 'Guide',
          items: [
            { text: 'Quick start', link: '/guide/quick-start' },
            { text: 'Train on your embeddings', link: '/guide/train' },
            { text: 'Evaluate: the Pareto plot', link: '/guide/evaluate' },
            { text: 'Name latents', link: '/guide/name-latents' },
            { text: 'Search, steer, bias', link: '/guide/search-steer' },
            { text: 'Engines', link: '/guide/engines' },
            { text: 'Checkpoints and interop', link: '/guide/checkpoints' },
            { text: 'Glossary', link: '/guide/glossary' },
          ],
        },
      ],
      '/playground/': [
        {
          text: 'Playground',
          items: [
            { text: 'Overview', link: '/playground/' },
            { text: 'Train', link: '/playground/train' },
            { text: 'Explore', link: '/playground/explore' },
            { text: 'Map', link: '/playground/map' },
            { text: 'Your photos', link: '/playground/photos' },
            { text: 'Search & steer', link: '/playground/search' },
          ],
        },
      ],
      '/api/': [{ text: 'API reference', link: '/api/', items: apiSidebar() }],
    },
    socialLinks: [],
  },
  vite: {
    server: { headers: CROSS_ORIGIN_ISOLATION },
    preview: { headers: CROSS_ORIGIN_ISOLATION },
    worker: { format: 'es' },
    // onnxruntime-web's wasm-only entry without its bundled .wasm: the site serves ONE variant itself, from /ort/
    // (lib/ort-files.ts, copy-assets.mjs); transformers.js' WebGPU import is pointed at it.
    resolve: {
      conditions: ['onnxruntime-web-use-extern-wasm'],
      alias: [
        { find: 'onnxruntime-web/webgpu', replacement: 'onnxruntime-web/wasm' },
      ],
    },
    build: {
      chunkSizeWarningLimit: 4096,
    },
    // tfjs and transformers.js are imported on mount only; keep the dev server from pre-bundling them eagerly.
    optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  },
});
