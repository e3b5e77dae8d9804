/**
 * Browser entry (`@msae/engines/browser`, and `@msae/engines` under the `browser` condition): the
 * engines and matmul providers that run in browsers. Nothing here reaches `node:*` or the native addon.
 */
import { registerSharedBuiltins } from './builtin/register-shared.js';

registerSharedBuiltins();

export * from './api.js';
