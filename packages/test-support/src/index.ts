/** Test-only helpers for the browser tests of the msae packages (private; never published). */
export type { BrowserContext, Page } from 'playwright-core';
export { BASE_CHROMIUM_ARGS, CHROMIUM, browserTestsRun, launchChromium, openPage, type ChromiumContextOptions, type ChromiumSession, type OpenPage } from './chromium.js';
export { browserOnly, bundleForBrowser, CORE_SOURCES, sourceAliases, type BrowserBundle, type BundleOptions } from './bundle.js';
export { pageHtml, startPageServer, type PageServer, type PageServerOptions, type StaticRoute } from './page-server.js';
export { serveStatic, type StaticServer } from './static-site-server.js';
