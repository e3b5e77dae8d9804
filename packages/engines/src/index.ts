/** Node entry: every built-in engine (native cpu and tfjs-node included) and matmul provider. */
import { registerNodeBuiltins } from './builtin/register-node.js';

registerNodeBuiltins();

export * from './api.js';
