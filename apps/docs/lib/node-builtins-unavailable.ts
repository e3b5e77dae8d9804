/**
 * Stands in for the Node built-ins @msae/analysis's LanceDB index code imports (node:path, node:crypto,
 * node:fs/promises) in the site bundle: the on-disk index is Node-only and never runs in the page. Until
 * @msae/analysis has a browser entry, the site aliases those modules to this one; each function refuses.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser (the LanceDB index of @msae/analysis is Node-only)`);
}
export const resolve = (..._: unknown[]): never => unavailable('path.resolve');
export const basename = (..._: unknown[]): never => unavailable('path.basename');
export const dirname = (..._: unknown[]): never => unavailable('path.dirname');
export const join = (..._: unknown[]): never => unavailable('path.join');
export const randomBytes = (..._: unknown[]): never => unavailable('crypto.randomBytes');
export const mkdir = async (..._: unknown[]): Promise<never> => unavailable('fs.mkdir');
export const readdir = async (..._: unknown[]): Promise<never> => unavailable('fs.readdir');
export const rename = async (..._: unknown[]): Promise<never> => unavailable('fs.rename');
export const rm = async (..._: unknown[]): Promise<never> => unavailable('fs.rm');
export const stat = async (..._: unknown[]): Promise<never> => unavailable('fs.stat');
export const readFile = async (..._: unknown[]): Promise<never> => unavailable('fs.readFile');
export const writeFile = async (..._: unknown[]): Promise<never> => unavailable('fs.writeFile');
