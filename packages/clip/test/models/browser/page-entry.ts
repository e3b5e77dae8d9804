/** Browser page for the CLIP loader test: exposes the browser entry of @msae/clip on window. */
import { embedImages, embedTexts } from '../../../src/models/browser.js';

(globalThis as unknown as { msaeClip: unknown }).msaeClip = { embedTexts, embedImages };
